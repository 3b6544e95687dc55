/** `propgrade batch <dir>`: grade every submission folder of a class (see src/batch/batch.ts). */
import { availableParallelism } from 'node:os';
import { runBatch } from '../../batch/batch.ts';
import { parseShard } from '../../batch/plan.ts';
import { createProgress } from '../../batch/progress.ts';
import { killAllGraders } from '../../batch/run-grader.ts';
import type { ClassSummary } from '../../batch/summary.ts';
import { loadLab } from '../../lab/load.ts';
import { oneLine, plainText } from '../../model/text.ts';
import { formatScore } from '../../reports/results.ts';
import { UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';
import { lab, out, requireLayers, runs, seed, wholeNumber } from '../options.ts';
import { loadConfig } from '../../config/config.ts';
import { confinement } from '../../sandbox/layers.ts';
import { NOT_GRADED_EXIT } from './grade.ts';

export const command = defineCommand({
  positionals: '<dir>',
  description: `Grades every submission folder directly under <dir> into DIR/<folder>/ (default DIR: reports/batch),
then writes DIR/summary.json, summary.csv, summary.html and timings.json. With --seed, summary.json and
summary.csv are the same bytes whatever --workers, --shard + merge or --resume; the timings (and the
slowest submissions) are kept apart in timings.json and in summary.html.

A folder with no lab.ts is graded as "no submission" (0 points, its own status). A grader that
crashes, hangs or floods is replaced, and the submission graded once more by a fresh one. A
submission the grader could not grade (its sandbox could not start, it crashed, hung or flooded twice) is "not graded":
its results.json scores nothing, the summary lists it apart from the class's scores, and --resume
grades it again. Only one run writes into DIR at a time (DIR/.lock).
Exit 0 when every submission has a result; 2 on a usage error, an empty class folder or a DIR in
use; 3 when any submission is not graded (everything else is written all the same).`,
  options: {
    lab,
    out: out('where the results go (default reports/batch)'),
    workers: { type: 'string', value: 'N', description: 'warm grader processes, each grading one submission after another (default: the number of cores)', parse: wholeNumber(1) },
    seed: { ...seed, description: "reproducible batch: each submission's seed derives from N and its folder name" },
    shard: { type: 'string', value: 'K/N', description: "grade only the K-th of N slices (join the outputs with 'propgrade merge')", parse: (text) => parseShard(text) },
    resume: { type: 'boolean', description: 'keep the complete results already in DIR and grade the rest' },
    runs: { ...runs, description: "cases per property, passed to 'propgrade grade'" },
    'require-layers': { ...requireLayers, description: `${requireLayers.description}; default: the layers this machine proves it runs when the batch starts, so that no grader runs with fewer` },
    timeout: { type: 'string', value: 'SECONDS', description: 'wall-clock limit for one submission (default 300)', parse: wholeNumber(1) },
  },
  async run({ values, positionals }) {
    const [classDir, ...extra] = positionals;
    if (classDir === undefined || extra.length > 0) throw new UsageError(`propgrade batch: name one class folder\nusage: ${command.usage('batch')}`);
    const definition = await loadLab(values.lab);

    // Interrupted (Ctrl-C, a cancelled CI job): end the graders too; --resume picks up from there.
    const interrupt = (signal: NodeJS.Signals) => {
      killAllGraders();
      process.stderr.write(`\npropgrade batch: ${signal}, stopped; run again with --resume to finish\n`);
      process.exit(130);
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);

    const outDir = values.out ?? 'reports/batch';
    const { summary, graded, skipped } = await runBatch({
      classDir,
      outDir,
      workers: values.workers ?? availableParallelism(),
      seed: values.seed,
      runs: values.runs,
      shard: values.shard,
      resume: values.resume ?? false,
      requireLayers: values['require-layers'] ?? loadConfig().settings.requireLayers ?? (await machineLayers()),
      limits: { wallMs: (values.timeout ?? 300) * 1000, outputBytes: 8 * 1024 * 1024 },
      lab: { id: definition.id, dir: definition.dir, submission: definition.submission, tasks: definition.tasks },
      progress: (total) => createProgress(total),
    });
    const kept = skipped ? ` (${skipped} kept from an earlier run)` : '';
    console.log(`graded ${graded} submission(s)${kept}: ${classLine(summary)}; summary in ${outDir}/summary.html`);
    return notGradedExit(summary, 'propgrade batch', `run 'propgrade batch --resume' with the same options once the grader is fixed`);
  },
});

/** The class in one line: the graded submissions' mean, and what was counted apart. */
export function classLine(summary: ClassSummary): string {
  const mean = summary.distribution.mean === null ? 'none graded' : `mean ${formatScore(summary.distribution.mean)} / ${formatScore(summary.maxScore)} over ${summary.graded} graded`;
  const apart = [
    summary.noSubmission.length ? `${summary.noSubmission.length} with no submission` : '',
    summary.notGraded.length ? `${summary.notGraded.length} NOT GRADED` : '',
  ].filter(Boolean);
  return [mean, ...apart].join(', ');
}

/** Exit 3 (and say which and what next) when the grader could not grade some submission. */
export function notGradedExit(summary: ClassSummary, command: string, next: string): number {
  if (summary.notGraded.length === 0) return 0;
  for (const p of summary.notGraded) console.error(`${command}: not graded: ${oneLine(p.name)}: ${plainText(p.reason)}`);
  console.error(`${command}: ${summary.notGraded.length} submission(s) not graded (grader faults, not scores); ${next}`);
  return NOT_GRADED_EXIT;
}

/** The layers this machine runs, probed once by the batch; undefined when the sandbox cannot start (each grader then says why, not graded). */
async function machineLayers(): Promise<string[] | undefined> {
  return confinement().then(
    (c) => c.layers,
    () => undefined,
  );
}
