/** A batch graded by test/batch/fake-grade.mjs: no vitest here, a plain process runs it too (run-fake-batch.ts). */
import { fileURLToPath } from 'node:url';
import { runBatch, type BatchOptions } from '../../src/batch/batch.ts';
import type { TaskHead } from '../../src/batch/failure.ts';

const FAKE_GRADE = fileURLToPath(new URL('./fake-grade.mjs', import.meta.url));

/** The fake grader worker's command line; `--broken-sandbox` makes it a grader whose sandbox cannot start. */
export const fakeWorker = (...flags: string[]) => [process.execPath, FAKE_GRADE, ...flags];

const FAKE_TASKS: TaskHead[] = ['forward_by_hand', 'bigram', 'automatic_diff'].map((id) => ({
  id: id as TaskHead['id'],
  title: `The ${id} task`,
  points: 2,
}));

export function fakeBatch(classDir: string, outDir: string, options: Partial<BatchOptions> = {}) {
  return runBatch({
    classDir,
    outDir,
    workers: 2,
    seed: 42,
    resume: false,
    limits: { wallMs: 20_000, outputBytes: 1 << 20 },
    lab: { id: 'fake', dir: 'fake-lab', submission: 'lab.ts', tasks: FAKE_TASKS },
    worker: fakeWorker(),
    ...options,
  });
}
