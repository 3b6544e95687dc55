/**
 * How a lab and its tasks' graders are declared. A spec is data: course staff read and edit a lab's
 * tasks without knowing fast-check; `src/spec/runner.ts` turns each task into fast-check properties.
 * The framework knows no lab: task ids, exports and data all come from the lab's own folder.
 */
import type { Arbitrary } from 'fast-check';
import type { LabClient, Plain } from '../sandbox/protocol.ts';
import type { Export } from './signature.ts';

export type Visibility = 'public' | 'hidden';

/** A static rule switched on for a task (rules themselves live in src/static). */
export interface RuleUse {
  rule: string;
  policy?: 'fail' | 'warn';
  /** What the student should change, in the lab's own words (default: the rule's generic sentence). */
  fix?: string;
  /** What the rule needs to know of the lab, e.g. the example's inputs and outputs for `no-hardcoded-example`. */
  data?: Plain;
}

/** What a property's check may use besides the student's module. */
export interface CheckContext {
  /** The reference solution, in process (trusted). */
  reference: LabClient;
  /**
   * Records a case where the reference and an oracle disagree: a grader bug, reported to staff and
   * never counted against the student (the check then skips the case).
   */
  graderBug(message: string): void;
  /**
   * The reference's answer to `exportName(...args)`. For the first few cases of each property it is
   * also checked against the oracle (the reference's own computation replayed in TensorFlow.js); on
   * a disagreement the case is reported as a grader bug and skipped. A failure of the reference is
   * a grader fault, never the student's.
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
  /** A fixed case (the lab's example): runs once whatever the runs override says. */
  fixed?: boolean;
  cases: Arbitrary<Case>;
  /**
   * The check makes every call of a case before it awaits anything (`await Promise.all([...])`), so
   * its calls follow from the case alone: the runner then sends the next cases' calls ahead, and
   * the student's process answers them in turn without waiting for the grader (src/spec/ahead.ts).
   * The calls and their order are those of checking case by case; a check that asks for another
   * call later is a fault of the lab, reported as one.
   */
  callsUpFront?: boolean;
  /** How a failing case is shown (default: the case itself), e.g. one-hot rows as words. */
  show?(input: Case): Plain;
  /** Resolves when the property holds for `input`; throws a Mismatch (or StudentError) when not. */
  check(student: LabClient, input: Case, ctx: CheckContext): Promise<void>;
}

export interface TaskSpec {
  /** The task id reports carry (`extra_data.task`): letters, digits and `_` or `-`. */
  id: string;
  title: string;
  points: number;
  /** The exports the task grades, with their signatures; a missing one fails the task with a clear message. */
  exports: Export[];
  rules: RuleUse[];
  /** The public properties (a lab's `hidden` module adds the hidden ones when staff grade). */
  properties: PropertySpec[];
}

/** A computation graph the HTML report draws: an export called on fixed arguments, every tensor it returns. */
export interface GraphView {
  task: string;
  export: Export;
  /** The arguments by parameter name; tensors among them are marked requiresGrad and named by it. */
  args: Record<string, Plain>;
}

/** A question the lab asks in words: graded by staff, never automatically. */
export interface WrittenQuestion {
  id: string;
  /** The question as the template asks it. */
  prompt: string;
  /** The task it belongs to, if any. */
  task?: string;
}

/**
 * A lab: one folder, its definition in `index.ts` (`export default defineLab({...})`). Paths are
 * relative to that folder. What is hidden from students (the reference, the hidden properties, the
 * corpus, the oracle and harden modules) is named by path only, so the public definition never
 * imports it and the student kit can leave it out.
 */
export interface LabDefinition {
  /** kebab-case. */
  id: string;
  title: string;
  /** The file a submission holds (default `lab.ts`). */
  submission?: string;
  tasks: TaskSpec[];
  /** The reference solution (staff only). */
  reference: string;
  /** A module whose default export maps task ids to their hidden properties (staff only). */
  hidden?: string;
  /** The student template; default: the reference with its `// BEGIN SOLUTION` .. `// END SOLUTION` regions stubbed. */
  template?: string;
  /** The students' guide (Markdown). */
  guide?: string;
  /** Submissions with their expected outcomes (folders holding the submission file and expected.json; staff only). */
  corpus?: string;
  /** Public drivers, bundled beside the harness (see `Drivers` in src/sandbox/harness.ts). */
  driver?: string;
  /**
   * Staff only: a module exporting alternative computations, by export name, for answers the
   * reference's recorded computation cannot cross-check (e.g. a gradient derived by hand: the
   * alternative computes it with autograd). Each is recorded and replayed in the oracle.
   */
  oracle?: string;
  /** Staff only: a module default-exporting `defineHarden({ operators, probes })`, harden's additions for this lab (src/harden/lab.ts). */
  harden?: string;
  /** What report.html draws. */
  graphs?: GraphView[];
  /** Questions answered in words, collected for staff. */
  questions?: WrittenQuestion[];
}
