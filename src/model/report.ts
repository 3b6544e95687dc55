/**
 * What grading produces, before any report format: results.json, JUnit, Markdown, HTML, the batch
 * summary and `harden` are all views of a GradeReport.
 */
import type { Plain } from '../sandbox/protocol.ts';

/** A static-rule finding (src/static). */
export interface Finding {
  rule: string;
  policy: 'fail' | 'warn';
  /** Tasks the finding breaks; empty for a module-wide rule reported as affecting all tasks. */
  tasks: string[];
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface PropertyOutcome {
  task: string;
  property: string;
  title: string;
  visibility: 'public' | 'hidden';
  passed: boolean;
  maxScore: number;
  score: number;
  /** Cases run before it passed or failed. */
  runs: number;
  /** Student-facing explanation (generic for a hidden property). */
  message: string;
  /** Staff-only: the full story of a failure (counterexample, seed, path, replay command). */
  staff?: {
    seed: number;
    path?: string;
    counterexample?: Plain;
    replay?: string;
    detail?: string;
  };
  /**
   * Sequence tasks: the first time step where the student's output departs from the expected one,
   * both values side by side in the reports (that is where a student starts looking).
   */
  divergence?: { step: number; expected: Plain; actual: Plain };
  durationMs: number;
}

/** Why a task scored 0 before or beside its properties. */
export type TaskBreak =
  | { kind: 'static'; message: string }
  /** lab.ts is absent, does not compile, or imports something other than the engine. */
  | { kind: 'build'; message: string }
  | { kind: 'missing-export'; message: string }
  | { kind: 'crash'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'grader-fault'; message: string };

export interface TaskOutcome {
  task: string;
  title: string;
  /** The exports the task grades (the HTML report shows their code). */
  exports?: string[];
  maxScore: number;
  score: number;
  passed: boolean;
  broken?: TaskBreak;
  findings: Finding[];
  properties: PropertyOutcome[];
  /** Reference-vs-oracle disagreements met while grading (staff only). */
  graderBugs: string[];
}

export interface GradeReport {
  submission: string;
  /** The id of the lab it was graded against. */
  lab: string;
  /** The submission file that was graded (absent when there was none). */
  file?: string;
  /** The lab's questions answered in words, as the submission answers them (for staff; never scored). */
  answers?: { id: string; prompt: string; text: string }[];
  seed: number;
  seedSource: 'flag' | 'hmac';
  startedAt: string;
  durationMs: number;
  tasks: TaskOutcome[];
  findings: Finding[];
  /** Which sandbox layers were active (staff output). */
  sandboxLayers: string[];
  /** Why each stronger set of layers could not run on this machine (staff: what a course could enable). */
  sandboxRefused?: string[];
  /** What bounded each call of the student's code (src/sandbox/process.ts): its CPU time, or the wall clock where that cannot be read. */
  callLimit?: { measure: 'cpu-time' | 'wall-clock'; ms: number; wallBackstopMs: number };
  /** Student stdout/stderr, drained and capped. */
  studentOutput: string;
  coverage?: {
    lines: number;
    branches: number;
    htmlPath?: string;
    jsonPath?: string;
    /** Each task's own share of the run (a task broken before it ran has none). */
    perTask?: Record<string, { lines: number; branches: number }>;
  };
  /**
   * Faults of the grader itself (not of the student), for staff: what broke and where. Any entry
   * means the grade cannot be trusted: the submission is not graded (graderFaultsOf).
   */
  graderFaults?: string[];
  /** Why lab.ts has no coverage report although tasks ran (a staff diagnostic; never a fault). */
  coverageMissing?: string;
  /**
   * The DOT text (engine `toDot`, via the sandbox's `graph` request) of the student's computation
   * graph on the notebook's example, per forward task: the HTML report draws it.
   */
  graphs?: Record<string, string>;
}

/**
 * Why the grader could not grade this submission: its own faults and every task it broke as a
 * grader fault. Empty when the report is a grade. One faulty task is enough to make the whole
 * report not a grade: a partial score would read as the student's.
 */
export function graderFaultsOf(report: Pick<GradeReport, 'graderFaults' | 'tasks'>): string[] {
  const tasksByMessage = new Map<string, string[]>();
  for (const t of report.tasks) {
    if (t.broken?.kind === 'grader-fault') tasksByMessage.set(t.broken.message, [...(tasksByMessage.get(t.broken.message) ?? []), t.task]);
  }
  return [...(report.graderFaults ?? []), ...[...tasksByMessage].map(([message, tasks]) => `${tasks.join(', ')}: ${message}`)];
}
