/**
 * `propgrade grade <submission> [--out DIR] [--seed N] [--runs N]`: grades one submission and writes
 * results.json, junit.xml, report.md, report.json and coverage/ into DIR (default `reports/`).
 * Exit 0 whenever the reports were written, whatever the score; a grader fault in a task is in the
 * reports and on stderr; non-zero only when grading itself could not complete.
 */
import { join } from 'node:path';
import { gradeSubmission, labOf } from '../../grading/grade.ts';
import { describeTaskStatus } from '../../reports/explain.ts';
import { coverageLine } from '../../reports/markdown.ts';
import { roundScore, totalScore } from '../../reports/results.ts';
import { writeReports } from '../../reports/write.ts';
import { parseCommand, runsOption, seedOption, UsageError } from '../args.ts';

const USAGE = 'propgrade grade <submission> [--lab DIR] [--out DIR] [--seed N] [--runs N]';

const HELP = `usage: ${USAGE}

Grades one submission (a folder holding lab.ts, or the file) and writes into --out (default reports/):
  results.json   Gradescope's schema, one entry per property, tagged with its task
  junit.xml      a testsuite per task, a testcase per property
  report.md      the staff's reading: failures, counterexamples, findings, coverage, sandbox layers
  report.json    the full grade report (batch summary)
  report.html    the same as one self-contained page: properties, counterexamples, coverage, graphs
  coverage/      coverage of lab.ts by the grading run (istanbul JSON and HTML)

--lab DIR  the lab to grade against (default: the bundled RNN lab, specs/rnn)
--seed N   makes the run reproducible byte for byte (timings aside). Without it the seed is an
           HMAC of the course secret and lab.ts: PROPGRADE_SECRET, else .propgrade-secret beside
           the grader (made on first use). It is in the staff output either way.
--runs N   cases per generated property (default: each property's own).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('grade', argv, { lab: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`propgrade grade takes one submission, got ${positionals.length}\nusage: ${USAGE}`);
  const [submission] = positionals as [string];
  const out = values.out ?? 'reports';

  const lab = await labOf({ lab: values.lab });
  const report = await gradeSubmission(submission, { lab, seed: seedOption(values.seed), runs: runsOption(values.runs), coverageDir: join(out, 'coverage') });
  const files = await writeReports(report, out, lab);

  const width = Math.max(...report.tasks.map((t) => t.task.length));
  const { score, max } = totalScore(report.tasks);
  console.log(`propgrade grade ${submission} (seed ${report.seed}${report.seedSource === 'hmac' ? ', from the submission' : ''})`);
  for (const t of report.tasks) console.log(`  ${t.task.padEnd(width)}  ${`${roundScore(t.score)} / ${t.maxScore}`.padEnd(9)}  ${describeTaskStatus(t)}`);
  console.log(`  ${'total'.padEnd(width)}  ${score} / ${max} in ${(report.durationMs / 1000).toFixed(1)} s`);
  console.log(coverageLine(report.coverage));
  console.log(`reports: ${[files.results, files.junit, files.markdown, files.json, files.html, report.coverage?.htmlPath].filter(Boolean).join(', ')}`);
  for (const fault of report.graderFaults ?? []) console.error(`propgrade grade: grader fault: ${fault}`);
  return 0;
}
