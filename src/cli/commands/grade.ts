/**
 * `propgrade grade <submission> [--out DIR] [--seed N] [--runs N]`: grades one submission and writes
 * results.json, junit.xml, report.md, report.json, report.html and coverage/ into DIR (default
 * `reports/`). Exit 0 whenever grading completed, whatever the score. Exit 3 when the grader itself
 * could not grade (a sandbox that cannot start, a missing layer, a fault of its own, even in one
 * task): the reports are still written, and results.json says "not graded" and scores nothing.
 */
import { join } from 'node:path';
import { TASKS } from '../../../specs/index.ts';
import { faultReport } from '../../batch/failure.ts';
import { gradeSubmission } from '../../grading/grade.ts';
import { graderFaultsOf, type GradeReport } from '../../grading/model.ts';
import { describeTaskStatus } from '../../reports/explain.ts';
import { coverageLine } from '../../reports/markdown.ts';
import { roundScore, totalScore } from '../../reports/results.ts';
import { writeReports } from '../../reports/write.ts';
import { parseCommand, runsOption, seedOption, UsageError } from '../args.ts';

/** The exit code of a run whose grader could not grade (CONTRACT section 4). */
export const NOT_GRADED_EXIT = 3;

const USAGE = 'propgrade grade <submission> [--out DIR] [--seed N] [--runs N]';

const HELP = `usage: ${USAGE}

Grades one submission (a folder holding lab.ts, or the file) and writes into --out (default reports/):
  results.json   Gradescope's schema, one entry per property, tagged with its task
  junit.xml      a testsuite per task, a testcase per property
  report.md      the staff's reading: failures, counterexamples, findings, coverage, sandbox layers
  report.json    the full grade report (batch summary)
  report.html    the same as one self-contained page: properties, counterexamples, coverage, graphs
  coverage/      coverage of lab.ts by the grading run (istanbul JSON and HTML)

--seed N   makes the run reproducible byte for byte (timings aside). Without it the seed is an
           HMAC of the course secret and lab.ts: PROPGRADE_SECRET, else .propgrade-secret beside
           the grader (made on first use). It is in the staff output either way.
--runs N   cases per generated property (default: each property's own).

Exit 0 when grading completed, whatever the score; 2 on a usage error; 3 when the grader itself
could not grade (results.json then says "not graded" and scores nothing; the other reports and
stderr say what failed).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('grade', argv, { out: { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`propgrade grade takes one submission, got ${positionals.length}\nusage: ${USAGE}`);
  const [submission] = positionals as [string];
  const out = values.out ?? 'reports';

  const seed = seedOption(values.seed);
  const started = Date.now();
  const report = await gradeSubmission(submission, { seed, runs: runsOption(values.runs), coverageDir: join(out, 'coverage') }).catch(
    // The grader threw before it had a report: one that says so, every task not graded.
    (error: unknown): GradeReport => {
      const [reason = String(error), ...stack] = (error instanceof Error ? (error.stack ?? error.message) : String(error)).split('\n');
      return faultReport(submission, seed, TASKS, { fault: 'grader-fault', reason, output: stack.join('\n') }, Date.now() - started);
    },
  );
  const files = await writeReports(report, out);
  const faults = graderFaultsOf(report);

  const width = Math.max(...report.tasks.map((t) => t.task.length));
  const { score, max } = totalScore(report.tasks);
  console.log(`propgrade grade ${submission} (seed ${report.seed}${report.seedSource === 'hmac' ? ', from the submission' : ''})`);
  for (const t of report.tasks) console.log(`  ${t.task.padEnd(width)}  ${`${roundScore(t.score)} / ${t.maxScore}`.padEnd(9)}  ${describeTaskStatus(t)}`);
  const total = faults.length > 0 ? 'NOT GRADED: the grader itself failed (below); results.json scores nothing' : `${score} / ${max}`;
  console.log(`  ${'total'.padEnd(width)}  ${total} in ${(report.durationMs / 1000).toFixed(1)} s`);
  console.log(coverageLine(report.coverage) + (report.coverageMissing ? ` (${report.coverageMissing})` : ''));
  console.log(`reports: ${[files.results, files.junit, files.markdown, files.json, files.html, report.coverage?.htmlPath].filter(Boolean).join(', ')}`);
  for (const fault of faults) console.error(`propgrade grade: grader fault: ${fault}`);
  return faults.length > 0 ? NOT_GRADED_EXIT : 0;
}
