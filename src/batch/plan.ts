/**
 * What a batch grades: the submission folders of a class, the slice a shard takes, and the seed each
 * submission gets. Every choice here depends on folder names alone, so a result never depends on
 * the number of workers, the shard that graded it, or whether the batch was resumed.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { CallerError } from '../errors.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `K/N` with 1 <= K <= N. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new CallerError(`--shard takes K/N with 1 <= K <= N (e.g. 2/4), got '${text}'`);
  }
  return { index, count };
}

/** The folders of shard K/N: every N-th of the sorted names, starting at the K-th (balanced to one). */
export function inShard(names: string[], shard: Shard): string[] {
  return names.filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * The submission folders directly under `classDir`, sorted by code unit (the same on every machine).
 * A class with none is an error (a wrong path, an archive not unpacked): no batch would grade anything.
 */
export async function listSubmissions(classDir: string): Promise<string[]> {
  const entries = await readdir(classDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new CallerError(`propgrade batch: cannot read the class folder '${classDir}': ${error.code ?? error.message}`);
  });
  const names = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) {
    const files = entries.filter((e) => !e.isDirectory()).map((e) => e.name);
    const held = files.length ? `; it holds ${files.length} file(s) such as '${files[0]}' (an archive to unpack first?)` : '; it is empty';
    throw new CallerError(`propgrade batch: no submission folder in '${classDir}' (one folder per student, holding lab.ts)${held}`);
  }
  return names;
}

/** A submission's seed: a hash of the batch seed and its folder name, in fast-check's 31-bit range. */
export function submissionSeed(batchSeed: number, name: string): number {
  return createHash('sha256').update(`${batchSeed}/${name}`).digest().readUInt32BE(0) >>> 1;
}
