/**
 * Grading throughput (fresh processes, phase by phase, are the startup section's):
 *   - gradeSubmission on the reference in a warm process (the pipeline alone), with and without coverage;
 *   - one save under `check --watch`: the public properties again in the same warm process;
 *   - submissions a minute: a sample of the corpus graded one after another in one warm process,
 *     every report written;
 *   - a class: `propgrade batch` (runBatch, its warm grader workers) over the whole corpus with 1
 *     and 2 workers: submissions a minute by the wall clock, and CPU seconds a submission (the
 *     workers' and their sandboxed children's, read when they exit).
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBatch } from '../src/batch/batch.ts';
import { gradeSubmission, openSandboxAhead } from '../src/grading/grade.ts';
import { loadLab } from '../src/lab/load.ts';
import { writeReports } from '../src/reports/write.ts';
// @ts-expect-error: a plain JavaScript module without declarations
import { childrenCpu } from './profile-hook.mjs';
import { median } from './median.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REFERENCE = join(ROOT, 'specs/rnn/reference');
const CORPUS = join(ROOT, 'specs/rnn/corpus');
const ROUNDS = 3;
/** Every SAMPLE_STEP-th corpus folder: correct and buggy ones alike, a minute of benching at most. */
const SAMPLE_STEP = 4;
/** A student's edit between two saves, during which `check --watch` boots the next save's sandbox. */
const EDIT_MS = 500;

async function timed(task: () => unknown, rounds = ROUNDS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await task();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

export async function run(): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'propgrade-bench-'));
  try {
    const rows: [string, string][] = [];
    const seconds = (s: number) => `${s.toFixed(2)} s`;

    await gradeSubmission(REFERENCE, { seed: 1 }); // warm: module loading, JIT
    const warm = await timed(() => gradeSubmission(REFERENCE, { seed: 1 }));
    rows.push(['gradeSubmission(reference), warm process, no coverage', seconds(warm)]);
    const warmCoverage = await timed(() => gradeSubmission(REFERENCE, { seed: 1, coverageDir: join(out, 'coverage') }));
    rows.push(['  the same with coverage', seconds(warmCoverage)]);
    // What `check --watch` does on each save (src/cli/commands/check.ts): a new seed each time.
    const publicLab = await loadLab(join(ROOT, 'specs/rnn'), { hidden: false });
    const saves: number[] = [];
    for (let save = 1; save <= 5; save++) {
      // Its sandbox boots while the student edits (a second or more; the watch waits 150 ms after a save alone).
      const sandbox = await openSandboxAhead({ visibility: 'public' });
      await sleep(EDIT_MS);
      const start = performance.now();
      await gradeSubmission(REFERENCE, { lab: publicLab, seed: save, visibility: 'public', crossCheck: false, sandbox });
      saves.push((performance.now() - start) / 1000);
    }
    const onSave = median(saves);
    rows.push(['propgrade check --watch, one save (warm process, public properties)', seconds(onSave)]);

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
    const lab = await loadLab(join(ROOT, 'specs/rnn'));
    const classDir = await mkdtemp(join(tmpdir(), 'propgrade-bench-class-'));
    try {
      for (const name of folders) await cp(join(CORPUS, name), join(classDir, name), { recursive: true });
      for (const workers of [1, 2]) {
        const cpuBefore = childrenCpu() as number;
        const started = performance.now();
        await runBatch({
          classDir, outDir: join(out, `batch-${workers}`), workers, seed: 1, resume: false,
          limits: { wallMs: 300_000, outputBytes: 8 << 20 },
          lab: { id: lab.id, dir: lab.dir, submission: lab.submission, tasks: lab.tasks },
        });
        const wallS = (performance.now() - started) / 1000;
        const cpuEach = ((childrenCpu() as number) - cpuBefore) / folders.length;
        rows.push([`propgrade batch, ${workers} warm worker(s), the ${folders.length} corpus submissions`, `${perMinute(wallS / folders.length)} a minute by the wall clock; ${cpuEach.toFixed(2)} s CPU each`]);
      }
    } finally {
      await rm(classDir, { recursive: true, force: true });
    }
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
