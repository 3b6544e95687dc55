/**
 * `propgrade merge`: the outputs of several `batch --shard` runs joined into one, as if a single
 * batch had graded the class. The summary is rebuilt from the submissions' entries, so it is
 * byte-identical to a single run's with the same seed. A submission a shard could not grade stays
 * not graded here (resume that shard, then merge again).
 */
import { cp, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CallerError } from '../errors.ts';
import { writeAtomic } from '../reports/write.ts';
import { writeClassFiles, type BatchMeta } from './batch.ts';
import { lockOutput } from './lock.ts';
import { clearPartial, partialDir, publish, readEntry, readMeta, toJson } from './store.ts';
import type { ClassSummary, Entry } from './summary.ts';

export async function mergeShards(shardDirs: string[], outDir: string): Promise<ClassSummary> {
  const out = resolve(outDir);
  const shards = await Promise.all(shardDirs.map(async (dir) => ({ dir: resolve(dir), meta: await shardMeta(dir) })));
  const first = shards[0];
  if (!first) throw new CallerError('propgrade merge: name at least one shard output folder');
  for (const { dir, meta } of shards) {
    const differs = meta.seed !== first.meta.seed || meta.runs !== first.meta.runs || meta.submissions.join('\n') !== first.meta.submissions.join('\n');
    if (differs) {
      throw new CallerError(`propgrade merge: ${dir} and ${first.dir} come from different batches (seed, --runs or the class folders differ)`);
    }
  }

  await mkdir(out, { recursive: true });
  const unlock = lockOutput(out, 'propgrade merge');
  try {
    await clearPartial(out);
    const taken = new Map<string, { dir: string; entry: Entry }>();
    for (const { dir } of shards) {
      for (const name of first.meta.submissions) {
        const entry = await readEntry(dir, name);
        if (!entry) continue;
        const other = taken.get(name);
        if (other && other.dir !== dir) throw new CallerError(`propgrade merge: '${name}' was graded in both ${other.dir} and ${dir}: the shards overlap`);
        taken.set(name, { dir, entry });
      }
    }
    const missing = first.meta.submissions.filter((name) => !taken.has(name));
    if (missing.length > 0) {
      throw new CallerError(`propgrade merge: no shard holds a result for ${missing.length} submission(s): ${missing.join(', ')}`);
    }

    for (const [name, { dir, entry }] of taken) {
      if (dir === out) continue;
      const copy = await partialDir(out, name);
      await cp(join(dir, name), copy, { recursive: true });
      await publish(out, copy, entry);
    }
    await clearPartial(out);
    const meta: BatchMeta = { ...first.meta, shard: null };
    await writeAtomic(join(out, 'batch.json'), toJson(meta));
    const entries = first.meta.submissions.map((name) => taken.get(name)!.entry);
    return await writeClassFiles(out, entries, first.meta.seed);
  } finally {
    unlock();
  }
}

async function shardMeta(dir: string): Promise<BatchMeta> {
  const meta = await readMeta(dir);
  if (!meta) throw new CallerError(`propgrade merge: ${dir} is not the output of 'propgrade batch' (no readable batch.json)`);
  return meta;
}
