import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { mergeShards } from '../../src/batch/merge.ts';
import type { ClassSummary, Entry } from '../../src/batch/summary.ts';
import { fakeBatch, makeClass, reproducible, tempDir } from './helpers.ts';

const WELL_BEHAVED = {
  ada: '// score bigram 1',
  bob: '',
  cy: '// score forward_by_hand 1\n// score automatic_diff 1',
  dee: '// crash',
  gus: null,
  hal: '// slow',
};

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));

describe('propgrade batch (fake grader)', () => {
  test('grades every folder; a crashing, hanging or flooding grader costs only its own submission', async () => {
    const classDir = await makeClass({ ...WELL_BEHAVED, eve: '// hang', fay: '// flood' });
    const out = await tempDir('out');
    await fakeBatch(classDir, out, { limits: { wallMs: 4_000, outputBytes: 1 << 20 } });
    const summary: ClassSummary = await readJson(join(out, 'summary.json'));

    const status = Object.fromEntries(summary.students.map((s) => [s.name, [s.status, s.score]]));
    expect(status).toEqual({
      ada: ['graded', 5],
      bob: ['graded', 6],
      cy: ['graded', 4],
      dee: ['grader-crash', 0],
      eve: ['grader-timeout', 0],
      fay: ['grader-flood', 0],
      gus: ['graded', 0],
      hal: ['graded', 6],
    });
    // Totals 0,0,0,0,4,5,6,6 of 6.
    expect(summary.distribution).toMatchObject({ mean: 2.625, median: 2, min: 0, max: 6 });
    expect(summary.distribution.histogram.map((b) => b.count)).toEqual([4, 0, 0, 0, 0, 0, 1, 0, 1, 2]);
    // bigram: passed by bob, cy, hal; failed by ada (a property), gus (no lab.ts) and three graders, two of them faults.
    const bigram = summary.tasks.find((t) => t.task === 'bigram')!;
    expect(bigram).toMatchObject({ passRate: 0.375, meanScore: 0.875, mostCommonFailure: { property: '[grader-fault]', count: 2 } });
    expect(summary.problems.map((p) => p.name)).toEqual(['dee', 'eve', 'fay']);

    // A failed submission still gets a results.json in Gradescope's schema: every task 0, with the reason.
    const crashed = await readJson(join(out, 'dee', 'results.json'));
    expect(crashed.score).toBe(0);
    expect(crashed.tests.map((t: { extra_data: { task: string } }) => t.extra_data.task)).toEqual(['forward_by_hand', 'bigram', 'automatic_diff']);
    for (const t of crashed.tests) expect(t).toMatchObject({ score: 0, max_score: 2, status: 'failed', output: expect.stringMatching(/could not be graded.*exited with code 3/) });
    const noLab: Entry = await readJson(join(out, 'gus', 'done.json'));
    expect(noLab.tasks.map((t) => t.failing)).toEqual([['[build]'], ['[build]'], ['[build]']]);

    for (const name of Object.keys(status)) expect(existsSync(join(out, name, 'done.json'))).toBe(true);
    expect(await readdir(out)).not.toContain('.partial');
  });

  test('summary.json and summary.csv are the same bytes with 1 or 2 workers; the seed matters', async () => {
    const classDir = await makeClass(WELL_BEHAVED);
    const [one, two, other] = [await tempDir('w1'), await tempDir('w2'), await tempDir('seed')];
    await fakeBatch(classDir, one, { workers: 1 });
    await fakeBatch(classDir, two, { workers: 2 });
    await fakeBatch(classDir, other, { seed: 43 });
    expect(await reproducible(two)).toEqual(await reproducible(one));
    expect((await reproducible(other)).json).not.toEqual((await reproducible(one)).json);
  });

  test('shard 1/2 and 2/2 joined by merge equal a single run; merge refuses a missing or overlapping shard', async () => {
    const classDir = await makeClass(WELL_BEHAVED);
    const [single, first, second, merged] = [await tempDir('single'), await tempDir('s1'), await tempDir('s2'), await tempDir('merged')];
    await fakeBatch(classDir, single);
    await fakeBatch(classDir, first, { shard: { index: 1, count: 2 } });
    await fakeBatch(classDir, second, { shard: { index: 2, count: 2 } });
    // Sorted: ada bob cy dee gus hal -> shard 1 takes ada cy gus, shard 2 bob dee hal.
    expect((await readJson(join(first, 'summary.json'))).students.map((s: { name: string }) => s.name)).toEqual(['ada', 'cy', 'gus']);

    await mergeShards([first, second], merged);
    expect(await reproducible(merged)).toEqual(await reproducible(single));
    expect(await readJson(join(merged, 'bob', 'done.json'))).toEqual(await readJson(join(second, 'bob', 'done.json')));

    await expect(mergeShards([first], await tempDir('partial'))).rejects.toThrow(/no shard holds a complete result for 3 submission\(s\): bob, dee, hal/);
    await expect(mergeShards([first, single], await tempDir('overlap'))).rejects.toThrow(/'ada' was graded in both/);
  });

  test('killed half way and resumed, a batch gives the summary of an uninterrupted run, regrading nothing done', async () => {
    const slow = Object.fromEntries(['s1', 's2', 's3', 's4', 's5', 's6'].map((name, i) => [name, `// slow\n// score bigram ${1 + (i % 2)}`]));
    const classDir = await makeClass(slow);
    const [whole, resumed] = [await tempDir('whole'), await tempDir('resumed')];
    await fakeBatch(classDir, whole);

    // A separate process runs the batch; it is killed (SIGKILL: no clean-up at all) once two are done.
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./run-fake-batch.ts', import.meta.url)), classDir, resumed], { stdio: 'ignore' });
    const done = async () => (await Promise.all(Object.keys(slow).map((n) => existsSync(join(resumed, n, 'done.json'))))).filter(Boolean).length;
    const exited = new Promise((r) => child.once('exit', r));
    let running = true;
    void exited.then(() => (running = false));
    while (running && (await done()) < 2) await new Promise((r) => setTimeout(r, 50));
    expect(running, 'the batch process ended before it had graded two submissions').toBe(true);
    child.kill('SIGKILL');
    await exited;
    const before = await done();
    expect(before).toBeLessThan(6);
    const first = Object.keys(slow).find((n) => existsSync(join(resumed, n, 'done.json')))!;
    const kept: Entry = await readJson(join(resumed, first, 'done.json'));

    const { graded, skipped } = await fakeBatch(classDir, resumed, { resume: true });
    expect({ graded, skipped }).toEqual({ graded: 6 - before, skipped: before });
    expect(await readJson(join(resumed, first, 'done.json'))).toEqual(kept);
    expect(await reproducible(resumed)).toEqual(await reproducible(whole));
    await expect(fakeBatch(classDir, resumed, { resume: true, seed: 43 })).rejects.toThrow(/was graded with --seed 42 /);
  });
});
