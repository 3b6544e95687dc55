/**
 * `propgrade grade <submission>`: grades one submission and writes results.json, junit.xml,
 * report.md, report.json, report.html and coverage/ into --out (default `reports/`). Exit 0 whenever
 * grading completed, whatever the score. Exit 3 when the grader itself could not grade (a sandbox
 * that cannot start, a missing layer, a fault of its own, even in one task): the reports are still
 * written, and results.json says "not graded" and scores nothing.
 */
import { join } from 'node:path';
import { faultReport } from '../../batch/failure.ts';
import { gradeSubmission, labOf } from '../../grading/grade.ts';
import { admitReport } from '../../model/admit.ts';
import { phase } from '../../grading/phase.ts';
import { graderFaultsOf, type GradeReport } from '../../model/report.ts';
import { oneLine } from '../../model/text.ts';
import { describeTaskStatus } from '../../reports/explain.ts';
import { coverageLine } from '../../reports/markdown.ts';
import { formatScore, totalScore } from '../../reports/results.ts';
import { writeReports } from '../../reports/write.ts';
import { UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';
import { lab, out, requireLayers, runs, seed } from '../options.ts';

/** The exit code of a run whose grader could not grade (CONTRACT section 4). */
export const NOT_GRADED_EXIT = 3;

export const command = defineCommand({
  positionals: '<submission>',
  description: `Grades one submission (a folder holding the lab's file, lab.ts, or the file) and writes into --out:
  results.json   Gradescope's schema, one entry per property, tagged with its task
  junit.xml      a testsuite per task, a testcase per property
  report.md      the staff's reading: failures, counterexamples, findings, coverage, sandbox layers
  report.json    the full grade report (batch summary)
  report.html    the same as one self-contained page: properties, counterexamples, coverage, graphs
  answers.md     the written answers, when the lab asks questions in words
  coverage/      coverage of the submission by the grading run (istanbul JSON and HTML)

Without --seed the seed is an HMAC of the course secret and the submission (propgrade config says
where the secret comes from); it is in the staff output either way, and replays the run.

Exit 0 when grading completed, whatever the score; 2 on a usage error; 3 when the grader itself
could not grade (results.json then says "not graded" and scores nothing; the other reports and
stderr say what failed).`,
  options: { lab, out: out('where the reports go (default reports/)'), seed: { ...seed, description: 'makes the run reproducible byte for byte (timings aside)' }, runs, 'require-layers': requireLayers },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError(`propgrade grade takes one submission, got ${positionals.length}\nusage: ${command.usage('grade')}`);
    const [submission] = positionals as [string];
    const target = values.out ?? 'reports';
    const definition = await labOf({ lab: values.lab });
    const started = Date.now();
    // Admitted (src/model/admit.ts) also when the grader threw: the terminal shows what the files do.
    const report = admitReport(await gradeSubmission(submission, { lab: definition, seed: values.seed, runs: values.runs, requireLayers: values['require-layers'], coverageDir: join(target, 'coverage') }).catch(
      // The grader threw before it had a report: one that says so, every task not graded.
      (error: unknown): GradeReport => {
        const [reason = String(error), ...stack] = (error instanceof Error ? (error.stack ?? error.message) : String(error)).split('\n');
        return faultReport(submission, definition.id, values.seed, definition.tasks, { fault: 'grader-fault', reason, output: stack.join('\n') }, Date.now() - started);
      },
    ));
    const files = await phase('reports', () => writeReports(report, target, definition));
    const faults = graderFaultsOf(report);

    const width = Math.max(...report.tasks.map((t) => t.task.length));
    const { score, max } = totalScore(report.tasks);
    console.log(`propgrade grade ${oneLine(submission)} (seed ${report.seed}${report.seedSource === 'hmac' ? ', from the submission' : ''})`);
    for (const t of report.tasks) console.log(`  ${t.task.padEnd(width)}  ${`${formatScore(t.score)} / ${formatScore(t.maxScore)}`.padEnd(9)}  ${describeTaskStatus(t)}`);
    const total = faults.length > 0 ? 'NOT GRADED: the grader itself failed (below); results.json scores nothing' : `${formatScore(score)} / ${formatScore(max)}`;
    console.log(`  ${'total'.padEnd(width)}  ${total} in ${(report.durationMs / 1000).toFixed(1)} s`);
    console.log(coverageLine(report.coverage) + (report.coverageMissing ? ` (${report.coverageMissing})` : ''));
    console.log(`reports: ${[files.results, files.junit, files.markdown, files.json, files.html, files.answers, report.coverage?.htmlPath].filter(Boolean).join(', ')}`);
    for (const fault of faults) console.error(`propgrade grade: grader fault: ${fault}`);
    return faults.length > 0 ? NOT_GRADED_EXIT : 0;
  },
});
