/**
 * Grading throughput. Wall times, as a user meets them:
 *   - `propgrade grade reference` and `propgrade check` as fresh processes (what a student or a
 *     Gradescope job pays, start-up included), the median of a few runs;
 *   - gradeSubmission on the reference in a warm process (the pipeline alone);
 *   - submissions a minute: a sample of the corpus graded one after another, every report written,
 *     in one warm process and in a fresh `propgrade grade` process each (as `batch` runs them, one
 *     worker per core).
 * Target: the reference graded at the default runs in at most 3 s wall.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradeSubmission } from '../src/grading/grade.ts';
import { writeReports } from '../src/reports/write.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REFERENCE = join(ROOT, 'specs/rnn/reference');
const CORPUS = join(ROOT, 'specs/rnn/corpus');
const TARGET_S = 3;
const ROUNDS = 3;
/** Every SAMPLE_STEP-th corpus folder: correct and buggy ones alike, a minute of benching at most. */
const SAMPLE_STEP = 4;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(task: () => unknown, rounds = ROUNDS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await task();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

/** A fresh `node bin/propgrade.js ...`; check exits 1 on a failure, which is not an error here. */
function cli(args: string[]): void {
  try {
    execFileSync(process.execPath, [join(ROOT, 'bin/propgrade.js'), ...args], { cwd: ROOT, stdio: 'ignore' });
  } catch (error) {
    if ((error as { status?: number }).status !== 1) throw error;
  }
}

export async function run(): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'propgrade-bench-'));
  try {
    const rows: [string, string][] = [];
    const seconds = (s: number) => `${s.toFixed(2)} s`;

    const gradeCli = await timed(() => cli(['grade', REFERENCE, '--seed', '1', '--out', join(out, 'cli')]));
    rows.push([`propgrade grade reference (fresh process, default runs; target <= ${TARGET_S} s)`, `${seconds(gradeCli)} ${gradeCli <= TARGET_S ? 'ok' : 'OVER'}`]);
    const checkCli = await timed(() => cli(['check', REFERENCE, '--seed', '1']));
    rows.push(['propgrade check reference (fresh process, public properties)', seconds(checkCli)]);

    await gradeSubmission(REFERENCE, { seed: 1 }); // warm: module loading, JIT
    const warm = await timed(() => gradeSubmission(REFERENCE, { seed: 1 }));
    rows.push(['gradeSubmission(reference), warm process, no coverage', seconds(warm)]);
    const warmCoverage = await timed(() => gradeSubmission(REFERENCE, { seed: 1, coverageDir: join(out, 'coverage') }));
    rows.push(['  the same with coverage', seconds(warmCoverage)]);

    const folders = (await readdir(CORPUS, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const sample = folders.filter((_, i) => i % SAMPLE_STEP === 0);
    const perMinute = (seconds: number) => `${(60 / seconds).toFixed(0)} (${seconds.toFixed(2)} s each)`;
    const warmEach = await timed(async () => {
      for (const name of sample) {
        const dir = join(out, 'warm', name);
        await writeReports(await gradeSubmission(join(CORPUS, name), { seed: 1, coverageDir: join(dir, 'coverage') }), dir);
      }
    }, 1);
    rows.push([`submissions a minute, one warm process (${sample.length} corpus submissions, all reports)`, perMinute(warmEach / sample.length)]);
    const freshEach = await timed(() => sample.forEach((name) => cli(['grade', join(CORPUS, name), '--seed', '1', '--out', join(out, 'fresh', name)])), 1);
    rows.push([`submissions a minute, a process each, as batch runs them (per worker)`, perMinute(freshEach / sample.length)]);

    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
