/**
 * The submission corpora of the bundled labs (each lab's `corpus` folder): correct solutions written
 * differently and wrong ones that each plant a single bug, with the outcome every task must have.
 * Nothing here knows a lab: task ids, the reference and the driver come from the loaded lab. Shared
 * by the corpus test and scripts/example-table.ts, which grade a corpus the same way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundledLabs, loadLab, type Lab } from '../../src/lab/load.ts';
import type { TaskOutcome } from '../../src/model/report.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import { runTask } from '../../src/spec/runner.ts';
import type { LabClient } from '../../src/sandbox/protocol.ts';
import type { TaskSpec } from '../../src/spec/types.ts';

/** A corpus is graded at fixed seeds, so its outcomes are reproducible: this one, and the extra ones of its seeds.json. */
export const CORPUS_SEED = 20261125;

export interface Expected {
  tasks: Record<string, 'pass' | 'fail'>;
  /** The single planted bug, in one sentence; null for a correct solution. */
  bug: string | null;
  /** The correct submission the bug was planted in. */
  base?: string;
  /** For each task the bug fails: does the lab's fixed example alone catch it? */
  exampleCatches?: Partial<Record<string, boolean>>;
  /** For each task the bug fails: do the public properties (what `check` runs) catch it, at every corpus seed? */
  publicCatches?: Partial<Record<string, boolean>>;
  note?: string;
}

export interface Submission {
  name: string;
  /** The submission's folder. */
  dir: string;
  /** Its submission file (the lab's, e.g. lab.ts). */
  lab: string;
  expected: Expected;
}

const taskIds = (lab: Lab) => lab.tasks.map((t) => t.id);

/** Every bundled lab that has a corpus. */
export async function labsWithCorpus(): Promise<Lab[]> {
  const labs = await Promise.all((await bundledLabs()).map((dir) => loadLab(dir)));
  return labs.filter((lab) => lab.paths.corpus !== undefined);
}

/** The seeds a lab's corpus is graded at: CORPUS_SEED, then those its corpus/seeds.json lists (a JSON array of integers). */
export function corpusSeeds(lab: Lab): number[] {
  const file = join(lab.paths.corpus!, 'seeds.json');
  if (!existsSync(file)) return [CORPUS_SEED];
  const extra = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(extra) || !extra.every(Number.isInteger)) throw new Error(`${file}: a JSON array of integer seeds, got ${JSON.stringify(extra)}`);
  return [...new Set([CORPUS_SEED, ...(extra as number[])])];
}

export const failingTasks = (lab: Lab, expected: Expected): string[] => taskIds(lab).filter((task) => expected.tasks[task] === 'fail');

/** Every submission folder with its expected.json, read strictly: a malformed one is an error naming it. */
/** `measuring`: publicCatches may be missing (scripts/public-catches.ts is about to measure it). */
export function loadCorpus(lab: Lab, { measuring = false } = {}): Submission[] {
  const dir = lab.paths.corpus!;
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = join(dir, name, 'expected.json');
      const expected = JSON.parse(readFileSync(file, 'utf8')) as Expected;
      const problem = validate(lab, measuring ? { ...expected, publicCatches: Object.fromEntries(failingTasks(lab, expected).map((t) => [t, true])) } : expected);
      if (problem) throw new Error(`${relative(process.cwd(), file)}: ${problem}`);
      return { name, dir: join(dir, name), lab: join(dir, name, lab.submission), expected };
    });
}

function validate(lab: Lab, expected: Expected): string | undefined {
  const ids = taskIds(lab);
  const unknown = Object.keys(expected.tasks ?? {}).filter((task) => !ids.includes(task));
  if (unknown.length > 0) return `unknown task ids ${unknown.join(', ')} (lab ${lab.id} has ${ids.join(', ')})`;
  const missing = ids.filter((task) => !['pass', 'fail'].includes(expected.tasks[task]!));
  if (missing.length > 0) return `tasks ${missing.join(', ')} need "pass" or "fail"`;
  const fails = failingTasks(lab, expected);
  if (expected.bug === null) return fails.length > 0 ? 'a correct solution (bug null) must pass every task' : undefined;
  if (typeof expected.bug !== 'string' || expected.bug.length === 0) return '"bug" must be one sentence, or null for a correct solution';
  if (fails.length === 0) return 'a planted bug must fail at least one task';
  const catches = Object.keys(expected.exampleCatches ?? {}).sort();
  if (catches.join() !== [...fails].sort().join()) return `"exampleCatches" must give true or false for exactly the failing tasks (${fails.join(', ')})`;
  if (Object.keys(expected.publicCatches ?? {}).sort().join() !== [...fails].sort().join())
    return `"publicCatches" must give true or false for exactly the failing tasks (${fails.join(', ')})`;
  const hiddenOnly = fails.filter((task) => expected.exampleCatches?.[task] && !expected.publicCatches?.[task]);
  if (hiddenOnly.length > 0) return `"publicCatches" must be true where the example (a public property) catches the bug: ${hiddenOnly.join(', ')}`;
  return undefined;
}

/** The spec cut down to its fixed public examples: what a notebook's own tests would check. */
export const examplesOnly = (spec: TaskSpec): TaskSpec => ({ ...spec, properties: spec.properties.filter((p) => p.fixed) });

/** The spec cut down to its public properties: what a student's `check` runs before submitting. */
export const publicOnly = (spec: TaskSpec): TaskSpec => ({ ...spec, properties: spec.properties.filter((p) => p.visibility === 'public') });

export const openReference = (lab: Lab): Promise<LabClient> => openInProcess(lab.paths.reference!, { driver: lab.paths.driver });

/**
 * Grades one submission file on the lab's specs (or `specs`), in process, against the reference, in
 * a fresh copy of the module (state left over from an earlier grading cannot leak in). The
 * reference-vs-oracle cross-check is off: it tests the reference (each lab's own tests do that),
 * not the submission.
 */
export async function gradeInProcess(lab: Lab, file: string, reference: LabClient, { specs = lab.tasks, seed = CORPUS_SEED }: { specs?: TaskSpec[]; seed?: number } = {}): Promise<TaskOutcome[]> {
  const student = await openInProcess(file, { driver: lab.paths.driver });
  try {
    const outcomes: TaskOutcome[] = [];
    for (const spec of specs) outcomes.push(await runTask(spec, student, { seed, reference, oracle: async () => null, drivers: lab.drivers }));
    return outcomes;
  } finally {
    await student.close();
  }
}

/** What grading a submission measured: the tasks it fails in full, and those its examples alone fail. */
export interface Measured {
  submission: Submission;
  failed: string[];
  exampleFailed: string[];
  publicFailed: string[];
}

const failedOf = (list: TaskOutcome[]) => list.filter((o) => !o.passed).map((o) => o.task);

/** The tasks the lab's fixed examples alone fail (they run once: no seed changes them). */
export async function exampleFailures(lab: Lab, submission: Submission, reference: LabClient): Promise<string[]> {
  return failedOf(await gradeInProcess(lab, submission.lab, reference, { specs: lab.tasks.map(examplesOnly) }));
}

/** The tasks the lab's public properties alone fail at `seed`. */
export async function publicFailures(lab: Lab, file: string, reference: LabClient, seed = CORPUS_SEED): Promise<string[]> {
  return failedOf(await gradeInProcess(lab, file, reference, { specs: lab.tasks.map(publicOnly), seed }));
}

/** A submission measured at every corpus seed: a task counts as failed (publicly failed) only when it fails at all of them. */
export async function measure(lab: Lab, submission: Submission, reference: LabClient, seeds = corpusSeeds(lab)): Promise<Measured> {
  const atEvery = (lists: string[][]) => lists.reduce((a, b) => a.filter((task) => b.includes(task)));
  const failed: string[][] = [];
  const publicFailed: string[][] = [];
  for (const seed of seeds) {
    failed.push(failedOf(await gradeInProcess(lab, submission.lab, reference, { seed })));
    publicFailed.push(await publicFailures(lab, submission.lab, reference, seed));
  }
  return { submission, failed: atEvery(failed), exampleFailed: await exampleFailures(lab, submission, reference), publicFailed: atEvery(publicFailed) };
}

/** What expected.json declares grading will measure. */
export const asDeclared = (lab: Lab, submission: Submission): Measured => ({
  submission,
  failed: failingTasks(lab, submission.expected),
  exampleFailed: failingTasks(lab, submission.expected).filter((task) => submission.expected.exampleCatches?.[task]),
  publicFailed: failingTasks(lab, submission.expected).filter((task) => submission.expected.publicCatches?.[task]),
});

/** Why a task failed, in a few lines: enough to see a surprise in a test failure. */
export const failureSummary = (outcome: TaskOutcome): string =>
  [outcome.broken?.message, ...outcome.properties.filter((p) => !p.passed).map((p) => `${p.property}: ${p.message.split('\n')[0]}`)]
    .filter(Boolean)
    .join('\n');

/**
 * The README table: for each task, how many planted bugs the lab's example alone catches, how many
 * a public property catches (what a student's `check` shows before submitting), and which ones only
 * the property specs catch (the example passes them, the full grader does not).
 */
export function exampleTable(lab: Lab, measured: Measured[]): string {
  const rows = taskIds(lab).map((task) => {
    const planted = measured.filter((m) => m.submission.expected.tasks[task] === 'fail');
    const byExample = planted.filter((m) => m.exampleFailed.includes(task));
    const byPublic = planted.filter((m) => m.publicFailed.includes(task));
    const onlyByProperties = planted.filter((m) => m.failed.includes(task) && !m.exampleFailed.includes(task));
    const missed = planted.filter((m) => !m.failed.includes(task));
    const hiddenMark = (m: Measured) => (m.publicFailed.includes(task) ? '' : ' *(hidden properties only)*');
    const names = (list: Measured[]) => list.map((m) => `\`${m.submission.name}\`: ${m.submission.expected.bug}${hiddenMark(m)}`);
    const cell = [...names(onlyByProperties), ...names(missed).map((text) => `**missed by both:** ${text}`)].join('<br>') || '(none)';
    return `| \`${task}\` | ${planted.length} | ${byExample.length} | ${byPublic.length} | ${onlyByProperties.length} | ${missed.length} | ${cell} |`;
  });
  return [
    '| task | bugs planted | caught by the example | caught by a public property | caught only by the properties | missed by both | the bugs the example misses |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
