/** A small class on disk and a batch over it, graded by test/batch/fake-grade.mjs. */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBatch, type BatchOptions, type GradeJob } from '../../src/batch/batch.ts';
import type { TaskHead } from '../../src/batch/failure.ts';

export const FAKE_GRADE = fileURLToPath(new URL('./fake-grade.mjs', import.meta.url));

export const fakeCommand = (job: GradeJob) => [process.execPath, FAKE_GRADE, 'grade', job.submission, '--out', job.outDir, '--seed', String(job.seed ?? 0)];

export const FAKE_TASKS: TaskHead[] = ['forward_by_hand', 'bigram', 'automatic_diff'].map((id) => ({
  id: id as TaskHead['id'],
  title: `The ${id} task`,
  points: 2,
}));

export const tempDir = (prefix: string) => mkdtemp(join(tmpdir(), `propgrade-${prefix}-`));

/** `lab.ts` contents by folder name; null makes a folder with no lab.ts. */
export async function makeClass(students: Record<string, string | null>): Promise<string> {
  const dir = await tempDir('class');
  for (const [name, lab] of Object.entries(students)) {
    await mkdir(join(dir, name), { recursive: true });
    if (lab !== null) await writeFile(join(dir, name, 'lab.ts'), lab);
  }
  return dir;
}

export function fakeBatch(classDir: string, outDir: string, options: Partial<BatchOptions> = {}) {
  return runBatch({
    classDir,
    outDir,
    workers: 2,
    seed: 42,
    resume: false,
    limits: { wallMs: 20_000, outputBytes: 1 << 20 },
    tasks: FAKE_TASKS,
    command: fakeCommand,
    ...options,
  });
}

/** The files a batch must reproduce byte for byte. */
export async function reproducible(outDir: string): Promise<{ json: string; csv: string }> {
  return { json: await readFile(join(outDir, 'summary.json'), 'utf8'), csv: await readFile(join(outDir, 'summary.csv'), 'utf8') };
}
