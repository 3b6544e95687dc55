/**
 * The report of a submission the grader gave no report for (it crashed, hung or flooded): every
 * task scores 0 and says why, so its results.json has the usual schema and the class summary counts
 * it like any other. The grader's last output goes to staff only.
 */
import type { GradeReport, TaskBreak } from '../model/report.ts';
import type { TaskSpec } from '../spec/types.ts';
import type { GraderFault } from './run-grader.ts';

/** What a failure report needs of a task: the spec's head (a TaskSpec fits). */
export type TaskHead = Pick<TaskSpec, 'id' | 'title' | 'points'>;

export interface GraderFailure {
  fault: GraderFault;
  reason: string;
  /** The tail of the grader's stdout and stderr. */
  output: string;
}

export function faultReport(submission: string, lab: string, seed: number | undefined, tasks: TaskHead[], failure: GraderFailure, durationMs: number): GradeReport {
  const message = `This submission could not be graded: ${failure.reason}. Course staff will look at it.`;
  const broken: TaskBreak = failure.fault === 'grader-timeout' ? { kind: 'timeout', message } : { kind: 'grader-fault', message };
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
