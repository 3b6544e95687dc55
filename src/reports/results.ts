/**
 * `results.json` in Gradescope's schema (CONTRACT section 5): one test entry per property, each
 * tagged with `extra_data.task` so a task's score is the sum of its entries. Students read `output`;
 * hidden properties show a generic message and publish only once grades are, while their
 * counterexample, seed, path and replay command stay in `extra_data`, which students never see.
 */
import { graderFaultsOf, type GradeReport, type PropertyOutcome, type TaskOutcome } from '../model/report.ts';
import { describeFinding, firstLine } from './explain.ts';
import { mdCode } from './escape.ts';
import { plainToJson, truncate, type Json } from './plain-json.ts';

export type GradescopeVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: GradescopeVisibility;
  tags: string[];
  extra_data: { task: string; property: string; [key: string]: Json };
}

export interface GradescopeResults {
  score: number;
  /** Seconds: the one timing field, ignored when comparing two runs. */
  execution_time: number;
  output: string;
  /** `output` is Markdown, in which every text from the submission is code (src/reports/escape.ts). */
  output_format: 'md';
  /** Each test's `output` is plain text: Gradescope shows it as it is. */
  test_output_format: 'text';
  visibility: GradescopeVisibility;
  stdout_visibility: GradescopeVisibility;
  tests: GradescopeTest[];
  extra_data: { [key: string]: Json };
}

/** Gradescope copes badly past about 100k characters; the tests share this budget. */
const TEST_BUDGET = 80_000;
/** The summary's share, and each line's share of the student's text in it. */
const SUMMARY_BUDGET = 10_000;
const LINE_BUDGET = 300;

/** Scores are sums of weighted shares: round away float noise such as 2.9999999999999996. */
export const roundScore = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * A score for people, as the terminal, report.md and the HTML reports print it: at most two
 * decimals (5.33, 16). The JSON files keep the millionths their sums are exact in (src/spec/runner.ts
 * settleScores).
 */
export const formatScore = (x: number) => String(Number(x.toFixed(2)));

/** A run's score over its tasks, and the most it could have scored. */
export function totalScore(tasks: TaskOutcome[]): { score: number; max: number } {
  return { score: roundScore(tasks.reduce((sum, t) => sum + t.score, 0)), max: roundScore(tasks.reduce((sum, t) => sum + t.maxScore, 0)) };
}

/** Gradescope's results.json; hidden properties' entries show with `hiddenVisibility` (the course config's). */
export function toGradescope(report: GradeReport, { hiddenVisibility = 'after_published' }: { hiddenVisibility?: GradescopeVisibility } = {}): GradescopeResults {
  const faults = graderFaultsOf(report);
  if (faults.length > 0) {
    return notGradedResults(report.tasks, faults, report.durationMs, {
      submission: report.submission,
      seed: report.seed,
      seed_source: report.seedSource,
      sandbox_layers: report.sandboxLayers,
    });
  }
  const count = report.tasks.reduce((n, task) => n + Math.max(1, task.properties.length), 0);
  const cap = Math.floor(TEST_BUDGET / Math.max(1, count) / 2);
  const tests = report.tasks.flatMap((task) =>
    task.properties.length > 0 ? task.properties.map((p) => propertyTest(task, p, cap, hiddenVisibility)) : [taskTest(task, cap)],
  );
  return {
    score: roundScore(tests.reduce((sum, t) => sum + t.score, 0)),
    execution_time: Math.round(report.durationMs) / 1000,
    output: summary(report),
    output_format: 'md',
    test_output_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests,
    extra_data: {
      submission: report.submission,
      seed: report.seed,
      seed_source: report.seedSource,
      sandbox_layers: report.sandboxLayers,
      grader_bugs: report.tasks.flatMap((t) => t.graderBugs.map((bug) => `${t.task}: ${bug}`)),
      coverage: report.coverage ? { lines: report.coverage.lines, branches: report.coverage.branches } : null,
      student_output: truncate(report.studentOutput, 4_000),
    },
  };
}

/** What the student reads when the grader failed: no grade, nothing of theirs to fix. */
export const NOT_GRADED_MESSAGE =
  '**Not graded.** The grader itself failed on this submission, so it has no score yet. This says nothing about your work ' +
  'and you do not need to resubmit: course staff have the details and will grade it again.';

/**
 * The results.json of a submission the grader could not grade. Gradescope needs a number and shows
 * it against the assignment's points, so the file scores 0, the one number that cannot inflate a
 * grade, and makes it read as no grade: every task's entry is worth 0 of 0 (no task shows points
 * lost), the entries wait for staff to publish (Gradescope then shows the student no total), and the
 * visible output says the submission was not graded. Staff find `not_graded` and the faults in
 * `extra_data`, and regrade once the grader is fixed.
 */
function notGradedResults(tasks: Array<{ task: string; title: string }>, faults: string[], durationMs: number, extra: { [key: string]: Json }): GradescopeResults {
  return {
    score: 0,
    execution_time: Math.round(durationMs) / 1000,
    output: NOT_GRADED_MESSAGE,
    output_format: 'md',
    test_output_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: tasks.map((task) => ({
      name: `${task.task}: ${task.title} (not graded)`,
      score: 0,
      max_score: 0,
      status: 'failed',
      output: 'Not graded: the grader failed before it could grade this task. Staff will grade it again.',
      visibility: 'after_published',
      tags: [task.task, 'not-graded'],
      extra_data: { task: task.task, property: '' },
    })),
    extra_data: { not_graded: true, grader_faults: faults.slice(0, 10).map((fault) => truncate(fault, 4_000)), ...extra },
  };
}

/**
 * The results.json run_autograder falls back on when `grade` left none it can read (it crashed, or
 * node did not start): the same not-graded file, made for the lab's tasks when the archive is
 * built, since nothing may be left to make it when it is needed. Gradescope's log has the exit
 * status and the output.
 */
export function fallbackResults(tasks: Array<{ id: string; title: string }>): GradescopeResults {
  const fault = 'grade ended without writing results.json: the autograder log on Gradescope has its exit status and output';
  return notGradedResults(tasks.map((t) => ({ task: t.id, title: t.title })), [fault], 0, {});
}

function propertyTest(task: TaskOutcome, p: PropertyOutcome, cap: number, hiddenVisibility: GradescopeVisibility): GradescopeTest {
  const hidden = p.visibility === 'hidden';
  const extra: GradescopeTest['extra_data'] = { task: task.task, property: p.property };
  // Staff detail goes into the entry only when students could not learn the case from it anyway.
  if (hidden && p.staff) {
    const { seed, path, counterexample, replay, detail } = p.staff;
    Object.assign(extra, { seed, path: path ?? null, replay: replay ?? null, detail: detail === undefined ? null : truncate(detail, cap) });
    if (counterexample !== undefined) extra.counterexample = cappedJson(plainToJson(counterexample), cap);
    if (p.divergence) extra.divergence = cappedJson(plainToJson(p.divergence), cap);
  }
  return {
    name: `${task.task} › ${p.property}: ${p.title}`,
    score: roundScore(p.score),
    max_score: roundScore(p.maxScore),
    status: p.passed ? 'passed' : 'failed',
    output: truncate(p.message, cap),
    visibility: hidden ? hiddenVisibility : 'visible',
    tags: [task.task, p.visibility],
    extra_data: extra,
  };
}

/** A task with no property outcome at all still gets its entry, with the reason it scored 0. */
function taskTest(task: TaskOutcome, cap: number): GradescopeTest {
  return {
    name: `${task.task}: ${task.title}`,
    score: roundScore(task.score),
    max_score: roundScore(task.maxScore),
    status: task.passed ? 'passed' : 'failed',
    output: truncate(task.broken?.message ?? 'No property of this task was run.', cap),
    visibility: 'visible',
    tags: [task.task],
    extra_data: { task: task.task, property: '' },
  };
}

/** A counterexample too big for its share of the budget is kept as cut text. */
function cappedJson(value: Json, cap: number): Json {
  const text = JSON.stringify(value);
  return text.length <= cap ? value : truncate(text, cap);
}

/** The student-facing summary (Markdown): score per task, why a task broke, warnings; their text as code. */
function summary(report: GradeReport): string {
  const lines = report.tasks.map((t) => {
    const why = t.broken ? ` — ${mdCode(truncate(firstLine(t.broken.message), LINE_BUDGET))}` : '';
    return `- **${t.task}**: ${formatScore(t.score)} / ${formatScore(t.maxScore)}${why}`;
  });
  const warnings = report.findings
    .filter((f) => f.policy === 'warn')
    .map((f) => `- ${mdCode(truncate(describeFinding(f), LINE_BUDGET))}`);
  const all = [...lines, ...(warnings.length ? ['', 'Warnings (not scored):', ...warnings] : [])];
  // Whole lines only: a line cut inside its code span would leave the rest to be read as Markdown.
  let size = 0;
  const kept = all.filter((line) => (size += line.length + 1) <= SUMMARY_BUDGET);
  return [...kept, ...(kept.length < all.length ? [`- (${all.length - kept.length} more lines left out)`] : [])].join('\n');
}
