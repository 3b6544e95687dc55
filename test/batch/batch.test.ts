import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { mergeShards } from '../../src/batch/merge.ts';
import type { ClassSummary, Entry } from '../../src/batch/summary.ts';
import { fakeWorker } from './fake.ts';
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
  test('grades every folder; a crashing, hanging or flooding grader costs only its own submission, which is not graded', async () => {
    const classDir = await makeClass({ ...WELL_BEHAVED, eve: '// hang', fay: '// flood' });
    const out = await tempDir('out');
    await fakeBatch(classDir, out, { limits: { wallMs: 4_000, outputBytes: 1 << 20 } });
    const summary: ClassSummary = await readJson(join(out, 'summary.json'));

    const status = Object.fromEntries(summary.students.map((s) => [s.name, [s.status, s.score]]));
    expect(status).toEqual({
      ada: ['graded', 5],
      bob: ['graded', 6],
      cy: ['graded', 4],
      dee: ['not-graded', null],
      eve: ['not-graded', null],
      fay: ['not-graded', null],
      gus: ['no-submission', 0],
      hal: ['graded', 6],
    });
    // The class's numbers are the four graded submissions' (4, 5, 6, 6 of 6): no zero for the others.
    expect(summary).toMatchObject({ submissions: 8, graded: 4, maxScore: 6 });
    expect(summary.distribution).toMatchObject({ mean: 5.25, median: 5.5, min: 4, max: 6 });
    expect(summary.distribution.histogram.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 2]); // the last bin: full marks
    const bigram = summary.tasks.find((t) => t.task === 'bigram')!;
    expect(bigram).toMatchObject({ passRate: 0.75, meanScore: 1.75, mostCommonFailure: { property: expect.stringMatching(/^bigram-case-\d$/), count: 1 } });
    expect(summary.notGraded).toEqual([
      { name: 'dee', fault: 'grader-crash', reason: 'the grader exited with code 3: fake grader: TypeError: boom' },
      { name: 'eve', fault: 'grader-timeout', reason: 'grading took longer than 4 s and was stopped' },
      { name: 'fay', fault: 'grader-flood', reason: 'the grader wrote more than 1048576 bytes of output and was stopped' },
    ]);
    expect(summary.noSubmission).toEqual([{ name: 'gus', reason: expect.stringContaining("There is no lab.ts in 'gus'") }]);

    // A failed grader still leaves a results.json in Gradescope's schema, and it scores nothing.
    const crashed = await readJson(join(out, 'dee', 'results.json'));
    expect(crashed).toMatchObject({ score: 0, extra_data: { not_graded: true, grader_faults: [expect.stringContaining('exited with code 3'), expect.stringMatching(/^forward_by_hand, bigram, automatic_diff: /)] } });
    expect(crashed.output).toMatch(/^\*\*Not graded\.\*\*/);
    expect(crashed.tests.map((t: { extra_data: { task: string } }) => t.extra_data.task)).toEqual(['forward_by_hand', 'bigram', 'automatic_diff']);
    for (const t of crashed.tests) expect(t).toMatchObject({ score: 0, max_score: 0, visibility: 'after_published' });
    // The CSV gives a not-graded student empty cells, never a 0.
    const csv = await readFile(join(out, 'summary.csv'), 'utf8');
    expect(csv.split('\n').find((l) => l.startsWith('dee,'))).toBe('dee,not-graded,,6,,,');
    expect(csv.split('\n').find((l) => l.startsWith('gus,'))).toBe('gus,no-submission,0,6,0,0,0');

    // The class page counts them apart too, and gives a not-graded student no score.
    const page = await readFile(join(out, 'summary.html'), 'utf8');
    expect(page).toMatch(/<div class="k">graded<\/div><div class="v">4<\/div>.*<div class="k">no submission<\/div><div class="v">1<\/div><\/div><div class="card"><div class="k">not graded<\/div><div class="v">3<\/div>/s);
    expect(page).toContain('<h2>Not graded</h2>');
    expect(page).toMatch(/<a href="dee\/report.html">dee<\/a> <span class="pill fail">not-graded<\/span><\/td><td class="num"><span class="muted">not graded<\/span><\/td><td class="num"><\/td>/);
    expect(page).toMatch(/<h2>No submission<\/h2><table><tr><th>folder<\/th><th>reason<\/th><\/tr><tr><td><a href="gus\/report.html">gus<\/a>/);

    // Only a result has the marker --resume trusts; a not-graded one has its own.
    for (const name of ['ada', 'bob', 'cy', 'gus', 'hal']) expect(existsSync(join(out, name, 'done.json')), name).toBe(true);
    for (const name of ['dee', 'eve', 'fay']) {
      expect(existsSync(join(out, name, 'done.json')), name).toBe(false);
      expect(existsSync(join(out, name, 'not-graded.json')), name).toBe(true);
    }
    expect(await readdir(out)).not.toContain('.partial');
    expect(await readdir(out)).not.toContain('.lock');
  });

  test('a grader whose sandbox cannot start (exit 3) is not graded; --resume, on a fixed machine, gives the clean run summary', async () => {
    const classDir = await makeClass(WELL_BEHAVED);
    const [clean, broken] = [await tempDir('clean'), await tempDir('broken')];
    await fakeBatch(classDir, clean);

    // A machine whose sandbox cannot start: everything with a lab.ts is not graded, and it says why.
    const first = await fakeBatch(classDir, broken, { worker: fakeWorker('--broken-sandbox') });
    expect(first.summary).toMatchObject({ submissions: 6, graded: 0, distribution: { mean: null, median: null, min: null, max: null }, noSubmission: [{ name: 'gus' }] });
    expect(first.summary.distribution.histogram.every((b) => b.count === 0)).toBe(true);
    expect(first.summary.notGraded.map((p) => [p.name, p.fault])).toEqual([
      ['ada', 'grader-fault'], ['bob', 'grader-fault'], ['cy', 'grader-fault'], ['dee', 'grader-crash'], ['hal', 'grader-fault'],
    ]);
    expect(first.summary.notGraded[0]!.reason).toBe('could not start grading: the sandbox cannot start: node: bad option: --experimental-permission');
    // The grader's own reports stay: they say what failed.
    expect(await readJson(join(broken, 'ada', 'report.json'))).toMatchObject({ graderFaults: [expect.stringContaining('sandbox cannot start')] });
    expect(existsSync(join(broken, 'ada', 'done.json'))).toBe(false);

    // Fixed machine: --resume grades the not-graded ones again and keeps the one result (gus).
    const second = await fakeBatch(classDir, broken, { resume: true });
    expect({ graded: second.graded, skipped: second.skipped }).toEqual({ graded: 5, skipped: 1 });
    for (const name of ['ada', 'bob', 'cy', 'hal']) {
      expect(existsSync(join(broken, name, 'done.json')), name).toBe(true);
      expect(existsSync(join(broken, name, 'not-graded.json')), name).toBe(false);
    }
    expect(await reproducible(broken)).toEqual(await reproducible(clean));
  });

  test('a warm worker grades one submission after another; a crash is retried once by a fresh worker, a leaking worker is replaced', async () => {
    const classDir = await makeClass({ a1: '', a2: '// score bigram 1', a3: '', b: '// crash-once', c: '// crash', d: '// leak', e: '' });
    const out = await tempDir('warm');
    const { summary } = await fakeBatch(classDir, out, { workers: 1 });
    const pid = async (name: string) => (await readJson(join(out, name, 'report.json'))).workerPid as number;
    const tries = async (name: string) => (await readFile(join(classDir, name, '.tries'), 'utf8')).length;

    // One process graded the first three.
    expect(new Set([await pid('a1'), await pid('a2'), await pid('a3')]).size).toBe(1);
    // b crashed its worker once: a fresh one graded it, and its grade is the one it earned.
    expect(await tries('b')).toBe(2);
    expect(await pid('b')).not.toBe(await pid('a1'));
    expect(summary.students.find((s) => s.name === 'b')).toMatchObject({ status: 'graded', score: 6 });
    // c crashed both times: not graded, after exactly two tries.
    expect(await tries('c')).toBe(2);
    expect(summary.notGraded).toEqual([{ name: 'c', fault: 'grader-crash', reason: 'the grader exited with code 3: fake grader: TypeError: boom' }]);
    // d was graded, then its worker (past its memory bound) was replaced before e.
    expect(summary.students.find((s) => s.name === 'd')).toMatchObject({ status: 'graded', score: 6 });
    expect(await pid('e')).not.toBe(await pid('d'));
    expect(new Set(await Promise.all(['a1', 'b', 'd', 'e'].map(pid))).size).toBe(4);

    // The same summary bytes with as many workers as submissions (the tries are counted on: b no longer crashes).
    const wide = await tempDir('warm-wide');
    await fakeBatch(classDir, wide, { workers: 7 });
    expect(await reproducible(wide)).toEqual(await reproducible(out));
  });

  test('an empty class folder, or one holding only an archive, is refused with a clear message', async () => {
    const empty = await tempDir('empty-class');
    await expect(fakeBatch(empty, await tempDir('out'))).rejects.toThrow(new RegExp(`no submission folder in '${empty}' .*; it is empty$`));
    const zipped = await tempDir('zipped-class');
    await writeFile(join(zipped, 'export.zip'), 'PK');
    await expect(fakeBatch(zipped, await tempDir('out'))).rejects.toThrow(/it holds 1 file\(s\) such as 'export.zip' \(an archive to unpack first\?\)/);
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

    await expect(mergeShards([first], await tempDir('partial'))).rejects.toThrow(/no shard holds a result for 3 submission\(s\): bob, dee, hal/);
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
    // SIGKILL leaves the lock behind; its process is gone, so the resumed batch takes it over.
    expect(existsSync(join(resumed, '.lock'))).toBe(true);
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
