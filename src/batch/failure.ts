/**
 * The report of a submission the grader gave no report for (it crashed, hung, flooded or threw):
 * every task is broken as a grader fault, so its results.json has the usual schema and says "not
 * graded" (never a zero), and the batch retries it on `--resume`. The grader's last output goes to
 * staff only.
 */
import type { GradeReport, TaskBreak } from '../model/report.ts';
import type { TaskSpec } from '../spec/types.ts';
import type { GraderFault } from './run-grader.ts';

/** What a failure report needs of a task: the spec's head (a TaskSpec fits). */
export type TaskHead = Pick<TaskSpec, 'id' | 'title' | 'points'>;

/** Why a submission is not graded: its grader process failed, or the grader reported a fault of its own. */
export type NotGradedCause = GraderFault | 'grader-fault';

export interface GraderFailure {
  fault: NotGradedCause;
  reason: string;
  /** The tail of the grader's stdout and stderr (or the error's stack). */
  output: string;
}

export function faultReport(submission: string, lab: string, seed: number | undefined, tasks: TaskHead[], failure: GraderFailure, durationMs: number): GradeReport {
  const broken: TaskBreak = { kind: 'grader-fault', message: `This submission could not be graded: ${failure.reason}. Course staff will look at it.` };
  return {
    submission,
    lab,
    seed: seed ?? 0,
    seedSource: seed === undefined ? 'hmac' : 'flag',
    startedAt: new Date(Date.now() - durationMs).toISOString(),
    durationMs,
    tasks: tasks.map((t) => ({
      task: t.id,
      title: t.title,
      maxScore: t.points,
      score: 0,
      passed: false,
      broken,
      findings: [],
      properties: [],
      graderBugs: [],
    })),
    findings: [],
    sandboxLayers: [],
    studentOutput: '',
    graderFaults: [`${failure.fault}: ${failure.reason}\n${failure.output}`],
  };
}
