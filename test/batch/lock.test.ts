/** One writer per --out: a second batch (or merge) is refused; a lock whose holder is gone is taken over. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { LOCK_FILE, lockOutput, STALE_MS } from '../../src/batch/lock.ts';
import { mergeShards } from '../../src/batch/merge.ts';
import { fakeBatch, makeClass, reproducible, tempDir } from './helpers.ts';
import { until } from '../helpers/wait.ts';

const RUN_FAKE_BATCH = fileURLToPath(new URL('./run-fake-batch.ts', import.meta.url));
const SLOW = Object.fromEntries(['s1', 's2', 's3', 's4'].map((name) => [name, '// slow']));

/** A batch in its own process; resolves with its exit code. */
function batchProcess(classDir: string, outDir: string, mode?: 'crash') {
  const child = spawn(process.execPath, ['--import', 'tsx', RUN_FAKE_BATCH, classDir, outDir, ...(mode ? [mode] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return { child, exited };
}

const lockOf = (outDir: string) => join(outDir, LOCK_FILE);

describe('the lock of an output folder', () => {
  test('a second batch into a folder that a running batch writes is refused, and the first finishes whole', async () => {
    const classDir = await makeClass(SLOW);
    const [out, alone] = [await tempDir('locked'), await tempDir('alone')];
    await fakeBatch(classDir, alone);
    const first = batchProcess(classDir, out);
    await until(() => existsSync(lockOf(out)), 'the first batch took the lock');
    const holder = JSON.parse(await readFile(lockOf(out), 'utf8'));
    expect(holder).toMatchObject({ pid: first.child.pid, host: hostname(), command: 'propgrade batch' });

    await expect(fakeBatch(classDir, out)).rejects.toThrow(`propgrade batch: ${out} is being written by 'propgrade batch' (pid ${first.child.pid} on ${hostname()}`);
    await expect(mergeShards([alone], out)).rejects.toThrow(/is being written by 'propgrade batch'/);

    expect((await first.exited).code).toBe(0);
    expect(existsSync(lockOf(out)), 'released at the end').toBe(false);
    expect(await reproducible(out)).toEqual(await reproducible(alone));
  });

  test('two batches started together in one process: one runs, the other is refused', async () => {
    const classDir = await makeClass({ a: '', b: '' });
    const out = await tempDir('twice');
    const [one, two] = await Promise.allSettled([fakeBatch(classDir, out), fakeBatch(classDir, out)]);
    expect([one.status, two.status].sort()).toEqual(['fulfilled', 'rejected']);
    const refused = [one, two].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toContain(`is being written by 'propgrade batch' (pid ${process.pid}`);
    expect(existsSync(lockOf(out))).toBe(false);
  });

  test('a batch that dies of an uncaught exception releases its lock', async () => {
    const classDir = await makeClass(SLOW);
    const out = await tempDir('crashed');
    const run = batchProcess(classDir, out, 'crash');
    await until(() => existsSync(lockOf(out)), 'the batch took the lock');
    const { code, stderr } = await run.exited;
    expect(code).not.toBe(0);
    expect(stderr).toContain('the batch process crashed');
    expect(existsSync(lockOf(out))).toBe(false);
  });

  test('a stale lock is taken over: its process is gone, or (any host) nobody refreshed it for a minute', async () => {
    const out = await tempDir('stale');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const lock = (holder: object) => writeFile(lockOf(out), JSON.stringify({ command: 'propgrade batch', since: '2026-01-01T00:00:00.000Z', token: 'old', ...holder }));

    await lock({ pid: dead, host: hostname() });
    lockOutput(out, 'test')();
    expect(existsSync(lockOf(out)), 'taken over, then released').toBe(false);

    // Another machine's lock cannot be checked by pid: only its age tells.
    await lock({ pid: 1, host: 'elsewhere' });
    expect(() => lockOutput(out, 'test')).toThrow(/is being written by 'propgrade batch' \(pid 1 on elsewhere/);
    const old = new Date(Date.now() - STALE_MS - 5_000);
    await utimes(lockOf(out), old, old);
    lockOutput(out, 'test')();

    // This process's own pid, from an earlier life (a container restarted with the same pid).
    await lock({ pid: process.pid, host: hostname() });
    lockOutput(out, 'test')();

    // A lock being written (empty for now) is respected until it is old.
    await writeFile(lockOf(out), '');
    expect(() => lockOutput(out, 'test')).toThrow(/another run \(its lock is being written\)/);
    await utimes(lockOf(out), old, old);
    lockOutput(out, 'test')();
    expect(existsSync(lockOf(out))).toBe(false);
  });

  test('release leaves alone a lock that another run has taken over meanwhile', async () => {
    const out = await tempDir('taken');
    const release = lockOutput(out, 'test');
    await writeFile(lockOf(out), JSON.stringify({ pid: 1, host: 'elsewhere', command: 'other', since: '', token: 'theirs' }));
    release();
    expect(JSON.parse(await readFile(lockOf(out), 'utf8')).token).toBe('theirs');
  });
});
