/**
 * The class summary. It is a pure function of the submissions' entries (the marker file of each
 * result), sorted by name, so a single run, a resumed run and merged shards give byte-identical
 * `summary.json` and `summary.csv`. Timings vary from run to run: they live apart, in `timings.json`.
 *
 * Only graded submissions make the class's statistics (pass rates, mean, histogram). A folder with
 * no submission and a submission the grader could not grade are counted and listed apart: neither
 * is a zero of the class.
 */
import type { GradeReport } from '../model/report.ts';
import { oneLine } from '../model/text.ts';
import { csvCell } from '../reports/escape.ts';
import { roundScore } from '../reports/results.ts';
import type { NotGradedCause } from './failure.ts';

/**
 * How grading a submission ended: `graded` (whatever the score), `no-submission` (the folder holds
 * no lab.ts the grader accepts: a result, 0 points), or `not-graded` (the grader failed: no score;
 * `--resume` grades it again).
 */
export type EntryStatus = 'graded' | 'no-submission' | 'not-graded';

/** What the summary needs of one submission (written as `DIR/<name>/done.json`, or `not-graded.json`). */
export interface Entry {
  name: string;
  seed: number | null;
  status: EntryStatus;
  /** What failed, when not graded. */
  fault?: NotGradedCause;
  /** Why there is no submission, or why it is not graded. */
  reason?: string;
  /** Null when not graded: there is no score to give. */
  score: number | null;
  maxScore: number;
  /** Empty when not graded. */
  tasks: Array<{
    task: string;
    title: string;
    score: number;
    maxScore: number;
    passed: boolean;
    /** The failing property ids, or `[<break kind>]` when the task broke before its properties. */
    failing: string[];
  }>;
  /** Wall time of the grading (a timing: never part of summary.json). */
  durationMs: number;
}

export function entryOf(
  name: string,
  report: GradeReport,
  status: EntryStatus,
  seed: number | undefined,
  durationMs: number,
  why?: { fault?: NotGradedCause; reason: string },
): Entry {
  const graded = status !== 'not-graded';
  const tasks = report.tasks.map((t) => ({
    task: t.task,
    title: t.title,
    score: roundScore(t.score),
    maxScore: t.maxScore,
    passed: t.passed,
    failing: t.broken ? [`[${t.broken.kind}]`] : t.properties.filter((p) => !p.passed).map((p) => p.property),
  }));
  return {
    name,
    seed: seed ?? null,
    status,
    ...(why?.fault === undefined ? {} : { fault: why.fault }),
    ...(why === undefined ? {} : { reason: why.reason }),
    score: graded ? roundScore(tasks.reduce((sum, t) => sum + t.score, 0)) : null,
    maxScore: roundScore(tasks.reduce((sum, t) => sum + t.maxScore, 0)),
    tasks: graded ? tasks : [],
    durationMs: Math.round(durationMs),
  };
}

export interface TaskSummary {
  task: string;
  title: string;
  maxScore: number;
  /** Share of the graded submissions that passed the task. */
  passRate: number;
  meanScore: number;
  /** The property (or break kind) most often failing, ties broken by name. */
  mostCommonFailure: { property: string; count: number } | null;
  /** An optional task (0 points): the graded submissions that passed it, by name. */
  doneBy?: string[];
}

export interface ClassSummary {
  seed: number | null;
  /** Every submission folder, whatever became of it. */
  submissions: number;
  /** Those graded: the class's statistics are theirs alone. */
  graded: number;
  maxScore: number;
  tasks: TaskSummary[];
  /** Of the graded submissions; null when none was graded. */
  distribution: {
    mean: number | null;
    median: number | null;
    min: number | null;
    max: number | null;
    /** Eleven bins of the total score as a share of the maximum: [0, 10%), ..., [90%, 100%), then full marks alone. */
    histogram: Array<{ from: number; to: number; count: number }>;
  };
  /** Folders with no lab.ts the grader accepts, and why. */
  noSubmission: Array<{ name: string; reason: string }>;
  /** Submissions the grader could not grade, and why: retried by `--resume`. */
  notGraded: Array<{ name: string; fault: NotGradedCause | null; reason: string }>;
  students: Array<{ name: string; status: EntryStatus; score: number | null; maxScore: number; tasks: Record<string, number> }>;
}

export interface Timings {
  /** The batch's wall time (absent after a merge: shards ran apart). */
  wallMs?: number;
  totalGradingMs: number;
  slowest: Array<{ name: string; durationMs: number }>;
}

/** A graded submission, or a folder with no submission: what `--resume` keeps and the class counts as a result. */
export const isResult = (entry: Entry) => entry.status === 'graded' || entry.status === 'no-submission';

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function summarize(unsorted: Entry[], seed: number | null): ClassSummary {
  const entries = [...unsorted].sort(byName);
  const graded = entries.filter((e) => e.status === 'graded');
  const n = graded.length;
  const totals = graded.map((e) => e.score!).sort((a, b) => a - b);
  const maxScore = Math.max(0, ...entries.map((e) => e.maxScore));
  const ifAny = (value: () => number) => (n ? roundScore(value()) : null);
  return {
    seed,
    submissions: entries.length,
    graded: n,
    maxScore,
    tasks: taskOrder(entries).map(({ task, title, maxScore }) => {
      const rows = graded.flatMap((e) => e.tasks.filter((t) => t.task === task));
      return {
        task,
        title,
        maxScore,
        passRate: n ? round4(rows.filter((t) => t.passed).length / n) : 0,
        meanScore: n ? roundScore(rows.reduce((s, t) => s + t.score, 0) / n) : 0,
        mostCommonFailure: mostCommon(rows.flatMap((t) => t.failing)),
        ...(maxScore === 0 ? { doneBy: graded.filter((e) => e.tasks.some((t) => t.task === task && t.passed)).map((e) => e.name) } : {}),
      };
    }),
    distribution: {
      mean: ifAny(() => totals.reduce((s, x) => s + x, 0) / n),
      median: ifAny(() => (n % 2 ? totals[(n - 1) / 2]! : (totals[n / 2 - 1]! + totals[n / 2]!) / 2)),
      min: ifAny(() => totals[0]!),
      max: ifAny(() => totals[n - 1]!),
      histogram: Array.from({ length: FULL_MARKS + 1 }, (_, bin) => ({
        from: roundScore((bin * maxScore) / 10),
        to: roundScore((Math.min(bin + 1, FULL_MARKS) * maxScore) / 10),
        count: totals.filter((x) => binOf(x, maxScore) === bin).length,
      })),
    },
    noSubmission: entries.filter((e) => e.status === 'no-submission').map((e) => ({ name: e.name, reason: e.reason ?? '' })),
    // Anything but a result (also a status this version does not know) is not graded: never dropped from the counts.
    notGraded: entries.filter((e) => !isResult(e)).map((e) => ({ name: e.name, fault: e.fault ?? null, reason: e.reason ?? '' })),
    students: entries.map((e) => ({
      name: e.name,
      status: e.status,
      score: e.score,
      maxScore: e.maxScore,
      tasks: Object.fromEntries(e.tasks.map((t) => [t.task, t.score])),
    })),
  };
}

export function timingsOf(entries: Entry[], wallMs?: number): Timings {
  const slowest = [...entries].sort((a, b) => b.durationMs - a.durationMs || byName(a, b)).slice(0, 10);
  return {
    ...(wallMs === undefined ? {} : { wallMs: Math.round(wallMs) }),
    totalGradingMs: entries.reduce((s, e) => s + e.durationMs, 0),
    slowest: slowest.map(({ name, durationMs }) => ({ name, durationMs })),
  };
}

/** One row a student: name, status, total, then the score of each task (empty when not graded). */
export function toCsv(summary: ClassSummary): string {
  const tasks = summary.tasks.map((t) => t.task);
  const rows = [
    ['name', 'status', 'total', 'max', ...tasks],
    // Not graded: empty cells, so that no spreadsheet or gradebook reads a zero.
    ...summary.students.map((s) => [oneLine(s.name), s.status, s.score ?? '', s.maxScore, ...tasks.map((t) => (s.score === null ? '' : (s.tasks[t] ?? 0)))]),
  ];
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** The tasks in the order the grader reports them (taken from the first entry that has each). */
function taskOrder(entries: Entry[]): Array<{ task: string; title: string; maxScore: number }> {
  const seen = new Map<string, { task: string; title: string; maxScore: number }>();
  for (const e of entries) for (const t of e.tasks) if (!seen.has(t.task)) seen.set(t.task, { task: t.task, title: t.title, maxScore: t.maxScore });
  return [...seen.values()];
}

function mostCommon(items: string[]): { property: string; count: number } | null {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  let best: { property: string; count: number } | null = null;
  for (const [property, count] of counts) {
    if (!best || count > best.count || (count === best.count && property < best.property)) best = { property, count };
  }
  return best;
}

/** The histogram's last bin: full marks, apart from the 90% that just missed them. */
const FULL_MARKS = 10;

function binOf(score: number, maxScore: number): number {
  if (maxScore <= 0 || score >= maxScore) return FULL_MARKS;
  return Math.min(FULL_MARKS - 1, Math.max(0, Math.floor((score / maxScore) * 10 + 1e-9)));
}
