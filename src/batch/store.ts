/**
 * The output folder of a batch. Each submission is graded into `DIR/.partial/<name>.<pid>/` and, once
 * every file is there, its marker is written last and the folder is renamed to `DIR/<name>/` in one
 * step: `done.json` for a result (graded, or no submission), `not-graded.json` when the grader
 * failed. So `DIR/<name>/done.json` exists only for a complete result: `--resume` trusts it and
 * grades everything else again, and a kill at any moment leaves either the old result or none,
 * never half of one.
 */
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from '../reports/write.ts';
import type { BatchMeta } from './batch.ts';
import { isResult, type Entry } from './summary.ts';

const DONE = 'done.json';
const NOT_GRADED = 'not-graded.json';
const PARTIAL = '.partial';

export const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A fresh folder to grade `name` into, private to this process. */
export async function partialDir(outDir: string, name: string): Promise<string> {
  const dir = join(outDir, PARTIAL, `${name}.${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Marks `dir` with its entry and moves it into place as `DIR/<name>/`. */
export async function publish(outDir: string, dir: string, entry: Entry): Promise<void> {
  await writeAtomic(join(dir, entry.status === 'not-graded' ? NOT_GRADED : DONE), toJson(entry));
  const target = join(outDir, entry.name);
  await rm(target, { recursive: true, force: true });
  await rename(dir, target);
}

/** The entry of `DIR/<name>/` (done or not graded), or undefined when it is absent or incomplete. */
export async function readEntry(outDir: string, name: string): Promise<Entry | undefined> {
  return (await readJson<Entry>(join(outDir, name, DONE))) ?? (await readJson<Entry>(join(outDir, name, NOT_GRADED)));
}

/** Whether `--resume` keeps an entry: only a result. Anything else (not graded, an unknown status) is graded again. */
export const isDone = (entry: Entry | undefined): entry is Entry => entry !== undefined && isResult(entry);

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Leftovers of interrupted runs (their graders may have outlived them: they only ever write there). */
export async function clearPartial(outDir: string): Promise<void> {
  await rm(join(outDir, PARTIAL), { recursive: true, force: true });
}

/** `DIR/batch.json`: the seed, runs, shard and class of the batch that wrote DIR (undefined if none). */
export const readMeta = (outDir: string) => readJson<BatchMeta>(join(outDir, 'batch.json'));
