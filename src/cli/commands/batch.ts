/** `propgrade batch <dir>`: grade every submission folder of a class (see src/batch/batch.ts). */
import { availableParallelism } from 'node:os';
import { runBatch } from '../../batch/batch.ts';
import { parseShard } from '../../batch/plan.ts';
import { createProgress } from '../../batch/progress.ts';
import { killAllGraders } from '../../batch/run-grader.ts';
import { loadLab } from '../../lab/load.ts';
import { intOption, parseCommand, runsOption, seedOption, UsageError } from '../args.ts';

const USAGE =
  'propgrade batch <dir> [--lab DIR] [--out DIR] [--workers N] [--seed N] [--shard K/N] [--resume] [--runs N] [--timeout SECONDS]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    'batch',
    argv,
    {
      lab: { type: 'string' },
      out: { type: 'string' },
      workers: { type: 'string' },
      seed: { type: 'string' },
      shard: { type: 'string' },
      resume: { type: 'boolean' },
      runs: { type: 'string' },
      timeout: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) {
    console.log(`usage: ${USAGE}

Grades every submission folder directly under <dir> into DIR/<folder>/ (default DIR: reports/batch),
then writes DIR/summary.json, summary.csv, summary.html and timings.json. With --seed, summary.json and
summary.csv are the same bytes whatever --workers, --shard + merge or --resume; the timings (and the
slowest submissions) are kept apart in timings.json and in summary.html.
  --lab DIR          the lab to grade against (default: the bundled RNN lab, specs/rnn)
  --workers N        grader processes at once (default: the number of cores)
  --seed N           reproducible batch: each submission's seed derives from N and its folder name
  --shard K/N        grade only the K-th of N slices (join the outputs with 'propgrade merge')
  --resume           keep the complete results already in DIR and grade the rest
  --runs N           cases per property, passed to 'propgrade grade'
  --timeout SECONDS  wall-clock limit for one submission (default 300)`);
    return 0;
  }
  const [classDir, ...extra] = positionals;
  if (classDir === undefined || extra.length > 0) throw new UsageError(`propgrade batch: name one class folder\nusage: ${USAGE}`);
  const workers = intOption('workers', values.workers, availableParallelism());
  const timeout = intOption('timeout', values.timeout, 300);
  if (workers < 1) throw new UsageError('--workers takes a number of at least 1');
  if (timeout < 1) throw new UsageError('--timeout takes a number of seconds of at least 1');

  // Interrupted (Ctrl-C, a cancelled CI job): end the graders too; --resume picks up from there.
  const interrupt = (signal: NodeJS.Signals) => {
    killAllGraders();
    process.stderr.write(`\npropgrade batch: ${signal}, stopped; run again with --resume to finish\n`);
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const lab = await loadLab(values.lab);
  const outDir = values.out ?? 'reports/batch';
  const { summary, graded, skipped } = await runBatch({
    classDir,
    outDir,
    workers,
    seed: seedOption(values.seed),
    runs: runsOption(values.runs),
    shard: values.shard === undefined ? undefined : parseShard(values.shard),
    resume: values.resume ?? false,
    limits: { wallMs: timeout * 1000, outputBytes: 8 * 1024 * 1024 },
    lab: { id: lab.id, dir: lab.dir, tasks: lab.tasks },
    progress: (total) => createProgress(total),
  });
  const kept = skipped ? ` (${skipped} kept from an earlier run)` : '';
  console.log(`graded ${graded} submission(s)${kept}: mean ${summary.distribution.mean} / ${summary.maxScore}; summary in ${outDir}/summary.html`);
  return 0;
}
