/**
 * How a lab task's grader is declared. A spec is data: course staff read and edit `specs/*.ts`
 * without knowing fast-check; `src/spec/runner.ts` turns it into fast-check properties.
 */
import type { Arbitrary } from 'fast-check';
import type { LabClient, Plain } from '../sandbox/protocol.ts';

/** The task ids of the contract (CONTRACT.md section 3), in the lab's order. */
export const TASK_IDS = [
  'forward_by_hand',
  'forward_function',
  'bigram',
  'tiny_bigram_RNN',
  'general_bigram_RNN',
  'automatic_diff',
  'bptt_general',
] as const;
export type TaskId = (typeof TASK_IDS)[number];

export type Visibility = 'public' | 'hidden';

/** A static rule switched on for a task (rules themselves live in src/static). */
export interface RuleUse {
  rule: string;
  policy?: 'fail' | 'warn';
}

/** What a property's check may use besides the student's module. */
export interface CheckContext {
  /** The reference solution, in process (trusted). */
  reference: LabClient;
  /**
   * Records a case where the reference and the TensorFlow.js oracle disagree: a grader bug,
   * reported to staff and never counted against the student (the check then skips the case).
   */
  graderBug(message: string): void;
  /**
   * The reference's answer to `exportName(...args)`. For the first few cases of each property it is
   * also checked against the TensorFlow.js oracle; on a disagreement the case is reported as a
   * grader bug and skipped. A failure of the reference is a grader fault, never the student's.
   */
  expected(exportName: string, ...args: Plain[]): Promise<Plain>;
}

/** One property of a task: a named claim checked on generated (or fixed) cases. */
export interface PropertySpec<Case = any> {
  /** Short stable id (kebab-case), used in replay commands and reports. */
  id: string;
  /** One sentence a student understands: what must hold. */
  title: string;
  visibility: Visibility;
  /** Default number of generated cases (1 for a fixed example). */
  runs: number;
  /** Share of the task's points (default 1; normalised over the task's properties). */
  weight?: number;
  /** A fixed case (the notebook's example): runs once whatever the runs override says. */
  fixed?: boolean;
  cases: Arbitrary<Case>;
  /** How a failing case is shown (default: the case itself), e.g. one-hot rows as words. */
  show?(input: Case): Plain;
  /** Resolves when the property holds for `input`; throws a Mismatch (or StudentError) when not. */
  check(student: LabClient, input: Case, ctx: CheckContext): Promise<void>;
}

export interface TaskSpec {
  id: TaskId;
  title: string;
  points: number;
  /** The exports the task grades; a missing one fails the task with a clear message. */
  exports: string[];
  rules: RuleUse[];
  properties: PropertySpec[];
}
