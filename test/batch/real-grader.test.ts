/**
 * `propgrade batch` with the real grader (`propgrade grade` processes) on a small class: a correct
 * submission, one with a bug, a hostile one that tries to kill its parent, and a folder with no lab.ts.
 */
import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runBatch, type BatchOptions } from '../../src/batch/batch.ts';
import { mergeShards } from '../../src/batch/merge.ts';
import type { ClassSummary, Entry } from '../../src/batch/summary.ts';
import { PROJECT_ROOT } from '../../src/gradescope/package.ts';
import { CORPUS_DIR, RNN } from '../helpers/rnn.ts';
import { reproducible, tempDir } from './helpers.ts';

const FIXTURES = join(PROJECT_ROOT, 'fixtures');
const source = (fixture: string) => (fixture.startsWith('submissions/') ? join(CORPUS_DIR, fixture.slice('submissions/'.length)) : join(FIXTURES, fixture));

test('one run with 1 worker and two shards merged give the same summary bytes; nothing stops the batch', async () => {
  const classDir = await tempDir('real-class');
  for (const fixture of ['submissions/correct-loops', 'submissions/forward-no-relu', 'hostile/kill-parent']) {
    await cp(source(fixture), join(classDir, fixture.split('/')[1]!), { recursive: true });
  }
  await mkdir(join(classDir, 'no-lab'));
  const options = (outDir: string): BatchOptions => ({
    classDir, outDir, workers: 2, seed: 11, runs: 5, resume: false, limits: { wallMs: 120_000, outputBytes: 1 << 22 }, lab: { id: RNN.id, dir: RNN.dir, submission: RNN.submission, tasks: RNN.tasks },
  });
  const [single, first, second, merged] = [await tempDir('real-1'), await tempDir('real-s1'), await tempDir('real-s2'), await tempDir('real-m')];
  await runBatch({ ...options(single), workers: 1 });
  await runBatch({ ...options(first), shard: { index: 1, count: 2 } });
  await runBatch({ ...options(second), shard: { index: 2, count: 2 } });
  await mergeShards([first, second], merged);
  expect(await reproducible(merged)).toEqual(await reproducible(single));

  const summary: ClassSummary = JSON.parse(await readFile(join(single, 'summary.json'), 'utf8'));
  const entries: Entry[] = await Promise.all(summary.students.map(async (s) => JSON.parse(await readFile(join(single, s.name, 'done.json'), 'utf8'))));
  expect(entries.map((e) => [e.name, e.status])).toEqual([
    ['correct-loops', 'graded'],
    ['forward-no-relu', 'graded'],
    ['kill-parent', 'graded'],
    ['no-lab', 'no-submission'],
  ]);
  // The corpus says which tasks the regular submissions pass; a folder with no lab.ts passes none.
  for (const name of ['correct-loops', 'forward-no-relu']) {
    const expected = JSON.parse(await readFile(join(CORPUS_DIR, name, 'expected.json'), 'utf8')).tasks;
    const entry = entries.find((e) => e.name === name)!;
    expect(Object.fromEntries(entry.tasks.map((t) => [t.task, t.passed ? 'pass' : 'fail'])), name).toEqual(expected);
  }
  const noLab = entries.find((e) => e.name === 'no-lab')!;
  expect(noLab.tasks.every((t) => !t.passed && t.failing[0] === '[build]')).toBe(true);
  expect(summary.noSubmission).toEqual([{ name: 'no-lab', reason: expect.stringContaining("There is no lab.ts in 'no-lab'") }]);
  // The class's pass rates are the share of the three graded submissions that passed each task: a folder with no lab.ts is not one of them.
  const graded = entries.filter((e) => e.status === 'graded');
  expect(summary.graded).toBe(3);
  for (const task of summary.tasks) {
    expect(task.passRate, task.task).toBe(Math.round((graded.filter((e) => e.tasks.find((t) => t.task === task.task)!.passed).length / 3) * 1e4) / 1e4);
  }
});
