/**
 * The output folder of a batch. Each submission is graded into `DIR/.partial/<name>.<pid>/` and, once
 * every file is there, `done.json` is written last and the folder is renamed to `DIR/<name>/` in one
 * step. So `DIR/<name>/done.json` exists only for a complete result: `--resume` trusts it, and a
 * kill at any moment leaves either the old complete result or none, never half of one.
 */
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from '../reports/write.ts';
import type { BatchMeta } from './batch.ts';
import type { Entry } from './summary.ts';

const DONE = 'done.json';
const PARTIAL = '.partial';

export const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A fresh folder to grade `name` into, private to this process. */
export async function partialDir(outDir: string, name: string): Promise<string> {
  const dir = join(outDir, PARTIAL, `${name}.${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Marks `dir` complete with its entry and moves it into place as `DIR/<name>/`. */
export async function publish(outDir: string, dir: string, entry: Entry): Promise<void> {
  await writeAtomic(join(dir, DONE), toJson(entry));
  const target = join(outDir, entry.name);
  await rm(target, { recursive: true, force: true });
  await rename(dir, target);
}

/** The entry of a complete result, or undefined when `DIR/<name>/` is absent or incomplete. */
export async function readEntry(outDir: string, name: string): Promise<Entry | undefined> {
  try {
    return JSON.parse(await readFile(join(outDir, name, DONE), 'utf8')) as Entry;
  } catch {
    return undefined;
  }
}

/** Leftovers of interrupted runs (their graders may have outlived them: they only ever write there). */
export async function clearPartial(outDir: string): Promise<void> {
  await rm(join(outDir, PARTIAL), { recursive: true, force: true });
}

/** `DIR/batch.json`: the seed, runs, shard and class of the batch that wrote DIR (undefined if none). */
export async function readMeta(outDir: string): Promise<BatchMeta | undefined> {
  try {
    return JSON.parse(await readFile(join(outDir, 'batch.json'), 'utf8')) as BatchMeta;
  } catch {
    return undefined;
  }
}
