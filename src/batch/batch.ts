/**
 * `propgrade batch`: grades a class with a pool of grader processes and writes, per submission,
 * `DIR/<name>/` (results.json and the other views, its marker last), then the class summary.
 *
 * Each of `--workers` warm grader processes (run-grader.ts) grades one submission after another as
 * `propgrade grade` would, every student in a fresh sandboxed child. A grader that crashes, hangs
 * or floods costs one submission and never the batch: its worker is replaced and the submission
 * graded once more by a fresh one. A submission whose second try fails too, like one whose grader
 * reported a fault of its own (exit 3), is not graded: its results.json says so and scores nothing,
 * the summary lists it apart, and `--resume` grades it again. A folder with no lab.ts is graded as
 * no submission, a status of its own.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CallerError } from '../errors.ts';
import { locateLab } from '../submission.ts';
import { graderFaultsOf, type GradeReport } from '../model/report.ts';
import { writeClassHtml } from './summary-html.ts';
import { answersCsv, toAnswersMarkdown } from '../reports/answers.ts';
import { writeAtomic, writeReports } from '../reports/write.ts';
import { faultReport, type GraderFailure, type TaskHead } from './failure.ts';
import { lockOutput } from './lock.ts';
import { inShard, listSubmissions, submissionSeed, type Shard } from './plan.ts';
import { inPool } from './pool.ts';
import type { Progress } from './progress.ts';
import { GraderWorker, type GraderLimits, type GraderRun } from './run-grader.ts';
import { clearPartial, isDone, partialDir, publish, readEntry, readMeta, toJson } from './store.ts';
import { entryOf, summarize, timingsOf, toCsv, type ClassSummary, type Entry } from './summary.ts';

/** One submission to grade into `outDir`. */
export interface GradeJob {
  submission: string;
  lab: string;
  outDir: string;
  seed?: number;
  runs?: number;
  /** Sandbox layers the grader may not run without (its --require-layers). */
  requireLayers?: readonly string[];
}

export interface BatchOptions {
  classDir: string;
  outDir: string;
  workers: number;
  seed?: number;
  runs?: number;
  shard?: Shard;
  resume: boolean;
  /** Sandbox layers every grader must run (the batch command passes what this machine proved it runs). */
  requireLayers?: readonly string[];
  limits: GraderLimits;
  /** The lab: its folder (passed to each grader), its submission file and the tasks a failure report lists. */
  lab: { id: string; dir: string; submission: string; tasks: TaskHead[] };
  /** The argv of a grader worker process (default graderWorker(); tests put a fake one here). */
  worker?: string[];
  progress?: (total: number) => Progress;
}

/** What `batch.json` records, so `merge` can check that its shards belong together. */
export interface BatchMeta {
  seed: number | null;
  runs: number | null;
  shard: string | null;
  /** Every submission folder of the class, sorted (not only this shard's). */
  submissions: string[];
}

const BIN = fileURLToPath(new URL('../../bin/propgrade.js', import.meta.url));

/** The real grader: `propgrade grade-worker` (src/cli/commands/grade-worker.ts). */
export const graderWorker = (): string[] => [process.execPath, BIN, 'grade-worker'];

/** A job for the worker: the arguments of the `propgrade grade` it runs. */
export function gradeArgs(job: GradeJob): string[] {
  const flags = [
    ...(job.seed === undefined ? [] : ['--seed', String(job.seed)]),
    ...(job.runs === undefined ? [] : ['--runs', String(job.runs)]),
    ...(job.requireLayers?.length ? ['--require-layers', job.requireLayers.join(',')] : []),
  ];
  return [job.submission, '--lab', job.lab, '--out', job.outDir, ...flags];
}

export async function runBatch(options: BatchOptions): Promise<{ summary: ClassSummary; graded: number; skipped: number }> {
  const started = Date.now();
  const outDir = resolve(options.outDir);
  const all = await listSubmissions(options.classDir);
  const names = options.shard ? inShard(all, options.shard) : all;
  const meta: BatchMeta = {
    seed: options.seed ?? null,
    runs: options.runs ?? null,
    shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
    submissions: all,
  };
  await mkdir(outDir, { recursive: true });
  const unlock = lockOutput(outDir, 'propgrade batch');
  try {
    const before = options.resume ? await readMeta(outDir) : undefined;
    if (before && (before.seed !== meta.seed || before.runs !== meta.runs)) {
      throw new CallerError(
        `propgrade batch --resume: ${outDir} was graded with --seed ${before.seed ?? '(none)'} --runs ${before.runs ?? '(default)'}; ` +
          'resume with the same options, or grade into a fresh --out',
      );
    }
    await clearPartial(outDir);
    await writeAtomic(join(outDir, 'batch.json'), toJson(meta));

    const done = new Set<string>();
    if (options.resume) for (const name of names) if (isDone(await readEntry(outDir, name))) done.add(name);
    const todo = names.filter((name) => !done.has(name));
    const progress = options.progress?.(todo.length);
    const workers = Array.from({ length: Math.max(1, Math.min(options.workers, todo.length)) }, () => new GraderWorker(options.worker ?? graderWorker(), options.limits));
    try {
      await inPool(todo, workers.length, async (name, _index, lane) => {
        const entry = await gradeOne(name, outDir, options, workers[lane]!);
        progress?.finished(entry);
      });
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
    }
    progress?.end();
    await clearPartial(outDir);

    const entries = await Promise.all(names.map(async (name) => (await readEntry(outDir, name))!));
    const summary = await writeClassFiles(outDir, entries, options.seed ?? null, Date.now() - started);
    return { summary, graded: todo.length, skipped: done.size };
  } finally {
    unlock();
  }
}

/** summary.json and summary.csv (reproducible), timings.json (not), summary.html (the class page). */
export async function writeClassFiles(outDir: string, entries: Entry[], seed: number | null, wallMs?: number): Promise<ClassSummary> {
  const summary = summarize(entries, seed);
  const timings = timingsOf(entries, wallMs);
  await writeAtomic(join(outDir, 'summary.json'), toJson(summary));
  await writeAtomic(join(outDir, 'summary.csv'), toCsv(summary));
  await writeAtomic(join(outDir, 'timings.json'), toJson(timings));
  await writeClassHtml(summary, timings, outDir);
  await writeClassAnswers(outDir, entries);
  return summary;
}

/**
 * The class's written answers for staff, when the lab asks questions in words: answers.csv (one row
 * per student and question) and answers.md, read from each graded submission's report.json.
 */
async function writeClassAnswers(outDir: string, entries: Entry[]): Promise<void> {
  const students = [];
  for (const { name, status } of entries) {
    if (status !== 'graded') continue;
    const report = await readReport(join(outDir, name));
    if (report?.answers?.length) students.push({ name, answers: report.answers });
  }
  if (students.length === 0) return;
  await writeAtomic(join(outDir, 'answers.csv'), answersCsv(students));
  await writeAtomic(join(outDir, 'answers.md'), students.map((s) => toAnswersMarkdown({ submission: s.name, answers: s.answers })).join('\n'));
}

async function gradeOne(name: string, outDir: string, options: BatchOptions, worker: GraderWorker): Promise<Entry> {
  const started = Date.now();
  const dir = await partialDir(outDir, name);
  const submission = resolve(options.classDir, name);
  const seed = options.seed === undefined ? undefined : submissionSeed(options.seed, name);
  const notGraded = async (failure: GraderFailure) => {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const report = faultReport(submission, options.lab.id, seed, options.lab.tasks, failure, Date.now() - started);
    await writeReports(report, dir);
    return entryOf(name, report, 'not-graded', seed, Date.now() - started, failure);
  };

  // A folder without lab.ts goes to the grader too (its results.json is what grade writes); the
  // same walk the grader takes tells that it is no submission.
  const located = await locateLab(submission, options.lab.submission);
  const job: GradeJob = { submission, lab: options.lab.dir, outDir: dir, seed, runs: options.runs, requireLayers: options.requireLayers };
  const attempt = async (): Promise<[GraderRun, GradeReport | undefined]> => {
    const run = await worker.grade(gradeArgs(job));
    return [run, await readReport(dir)];
  };
  let [run, report] = await attempt();
  if (!run.ok && !(report && graderFaultsOf(report).length > 0)) {
    // Crashed, hung or flooded: the fault may be the worker's (a leak, a state it got into), so a
    // fresh worker grades the submission once more, from an empty folder.
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    [run, report] = await attempt();
  }
  const faults = report ? graderFaultsOf(report) : [];
  let entry: Entry;
  if (report && faults.length > 0) {
    // The grader said what failed (and exited 3): its own reports stay, they say it best.
    entry = entryOf(name, report, 'not-graded', seed, Date.now() - started, { fault: 'grader-fault', reason: firstLine(faults[0]!) });
  } else if (!run.ok) {
    entry = await notGraded(run);
  } else if (!report) {
    entry = await notGraded({ fault: 'grader-crash', reason: 'the grader finished without writing report.json', output: run.output });
  } else if ('missing' in located) {
    entry = entryOf(name, report, 'no-submission', seed, Date.now() - started, { reason: located.missing.replaceAll(submission, name) });
  } else {
    entry = entryOf(name, report, 'graded', seed, Date.now() - started);
  }
  await publish(outDir, dir, entry);
  return entry;
}

const firstLine = (text: string) => text.split('\n', 1)[0]!;

async function readReport(dir: string): Promise<GradeReport | undefined> {
  try {
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as GradeReport;
    return Array.isArray(report.tasks) ? report : undefined;
  } catch {
    return undefined;
  }
}
