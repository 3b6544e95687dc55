/**
 * The submission corpus (specs/rnn/corpus): correct solutions written differently and wrong ones
 * that each plant a single bug, with the outcome every task must have. Shared by the corpus test and
 * scripts/example-table.ts, which grade the corpus the same way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TaskOutcome } from '../../src/model/report.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import { runTask } from '../../src/spec/runner.ts';
import type { LabClient } from '../../src/sandbox/protocol.ts';
import type { TaskSpec } from '../../src/spec/types.ts';
import { REFERENCE_LAB, RNN, TASK_IDS } from '../helpers/rnn.ts';

export const CORPUS_DIR = fileURLToPath(new URL('../../specs/rnn/corpus/', import.meta.url));
/** The corpus is graded at one fixed seed, so its outcomes are reproducible. */
export const CORPUS_SEED = 20261125;

export interface Expected {
  tasks: Record<string, 'pass' | 'fail'>;
  /** The single planted bug, in one sentence; null for a correct solution. */
  bug: string | null;
  /** The correct submission the bug was planted in. */
  base?: string;
  /** For each task the bug fails: does the notebook's fixed example alone catch it? */
  exampleCatches?: Partial<Record<string, boolean>>;
  note?: string;
}

export interface Submission {
  name: string;
  lab: string;
  expected: Expected;
}

export const failingTasks = (expected: Expected): string[] => TASK_IDS.filter((task) => expected.tasks[task] === 'fail');

/** Every submission folder with its expected.json, read strictly: a malformed one is an error naming it. */
export function loadCorpus(): Submission[] {
  return readdirSync(CORPUS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const expected = JSON.parse(readFileSync(`${CORPUS_DIR}${name}/expected.json`, 'utf8')) as Expected;
      const problem = validate(expected);
      if (problem) throw new Error(`specs/rnn/corpus/${name}/expected.json: ${problem}`);
      return { name, lab: `${CORPUS_DIR}${name}/lab.ts`, expected };
    });
}

function validate(expected: Expected): string | undefined {
  const tasks = Object.keys(expected.tasks ?? {});
  const unknown = tasks.filter((task) => !(TASK_IDS as readonly string[]).includes(task));
  if (unknown.length > 0) return `unknown task ids ${unknown.join(', ')}`;
  const missing = TASK_IDS.filter((task) => !['pass', 'fail'].includes(expected.tasks[task]));
  if (missing.length > 0) return `tasks ${missing.join(', ')} need "pass" or "fail"`;
  const fails = failingTasks(expected);
  if (expected.bug === null) return fails.length > 0 ? 'a correct solution (bug null) must pass every task' : undefined;
  if (typeof expected.bug !== 'string' || expected.bug.length === 0) return '"bug" must be one sentence, or null for a correct solution';
  if (fails.length === 0) return 'a planted bug must fail at least one task';
  const catches = Object.keys(expected.exampleCatches ?? {}).sort();
  if (catches.join() !== [...fails].sort().join()) return `"exampleCatches" must give true or false for exactly the failing tasks (${fails.join(', ')})`;
  return undefined;
}

/** The spec cut down to its fixed public examples: what the notebook's old tests checked. */
export const examplesOnly = (spec: TaskSpec): TaskSpec => ({ ...spec, properties: spec.properties.filter((p) => p.fixed) });

/**
 * Grades one lab module on the given specs, in process, against the reference, in a fresh copy of
 * the module (state left over from an earlier grading cannot leak in). The reference-vs-oracle
 * cross-check is off: it tests the reference (the specs' own tests do that), not the submission.
 */
export async function gradeInProcess(lab: string, reference: LabClient, specs: TaskSpec[] = RNN.tasks): Promise<TaskOutcome[]> {
  const student = await openInProcess(lab, { driver: RNN.paths.driver });
  try {
    const outcomes: TaskOutcome[] = [];
    for (const spec of specs) outcomes.push(await runTask(spec, student, { seed: CORPUS_SEED, reference, oracle: async () => null, drivers: RNN.drivers }));
    return outcomes;
  } finally {
    await student.close();
  }
}

export const openReference = (): Promise<LabClient> => openInProcess(REFERENCE_LAB, { driver: RNN.paths.driver });

/** What grading a submission measured: the tasks it fails in full, and those its examples alone fail. */
export interface Measured {
  submission: Submission;
  failed: string[];
  exampleFailed: string[];
}

export async function measure(submission: Submission, reference: LabClient): Promise<Measured & { outcomes: TaskOutcome[] }> {
  const outcomes = await gradeInProcess(submission.lab, reference);
  const examples = await gradeInProcess(submission.lab, reference, RNN.tasks.map(examplesOnly));
  const failedOf = (list: TaskOutcome[]) => list.filter((o) => !o.passed).map((o) => o.task);
  return { submission, outcomes, failed: failedOf(outcomes), exampleFailed: failedOf(examples) };
}

/** What expected.json declares grading will measure. */
export const asDeclared = (submission: Submission): Measured => ({
  submission,
  failed: failingTasks(submission.expected),
  exampleFailed: failingTasks(submission.expected).filter((task) => submission.expected.exampleCatches?.[task]),
});

/** Why a task failed, in a few lines: enough to see a surprise in a test failure. */
export const failureSummary = (outcome: TaskOutcome): string =>
  [outcome.broken?.message, ...outcome.properties.filter((p) => !p.passed).map((p) => `${p.property}: ${p.message.split('\n')[0]}`)]
    .filter(Boolean)
    .join('\n');

/**
 * The README table: for each task, how many planted bugs the notebook's example alone catches, and
 * which ones only the property specs catch (the example passes them, the full grader does not).
 */
export function exampleTable(measured: Measured[]): string {
  const rows = TASK_IDS.map((task) => {
    const planted = measured.filter((m) => m.submission.expected.tasks[task] === 'fail');
    const byExample = planted.filter((m) => m.exampleFailed.includes(task));
    const onlyByProperties = planted.filter((m) => m.failed.includes(task) && !m.exampleFailed.includes(task));
    const missed = planted.filter((m) => !m.failed.includes(task));
    const names = (list: Measured[]) => list.map((m) => `\`${m.submission.name}\`: ${m.submission.expected.bug}`);
    const cell = [...names(onlyByProperties), ...names(missed).map((text) => `**missed by both:** ${text}`)].join('<br>') || '(none)';
    return `| \`${task}\` | ${planted.length} | ${byExample.length} | ${onlyByProperties.length} | ${missed.length} | ${cell} |`;
  });
  return [
    '| task | bugs planted | caught by the example | caught only by the properties | missed by both | the bugs the example misses |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
