import { describe, expect, test } from 'vitest';
import { inShard, parseShard, submissionSeed } from '../../src/batch/plan.ts';
import { summarize, toCsv, type Entry } from '../../src/batch/summary.ts';

describe('shards', () => {
  test('K/N is parsed, and anything else is refused with the expected form', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3', ' 1/2']) expect(() => parseShard(bad), bad).toThrow(/--shard takes K\/N/);
  });

  test('the shards of a class cover every folder exactly once, in slices within one of each other', () => {
    const names = Array.from({ length: 11 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const slices = [1, 2, 3].map((index) => inShard(names, { index, count: 3 }));
    expect(slices.map((s) => s.length)).toEqual([4, 4, 3]);
    expect(slices.flat().sort()).toEqual(names);
    expect(slices[1]).toEqual(['s01', 's04', 's07', 's10']);
  });

  test("a submission's seed depends on the batch seed and its own name only", () => {
    expect(submissionSeed(7, 'ada')).toBe(submissionSeed(7, 'ada'));
    expect(submissionSeed(7, 'ada')).not.toBe(submissionSeed(8, 'ada'));
    expect(submissionSeed(7, 'ada')).not.toBe(submissionSeed(7, 'bob'));
    const seeds = Array.from({ length: 200 }, (_, i) => submissionSeed(1, `student-${i}`));
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31)).toBe(true);
    expect(new Set(seeds).size).toBe(200);
  });
});

describe('the class CSV', () => {
  const entry = (name: string, score: number): Entry => ({
    name,
    seed: 1,
    status: 'graded',
    score,
    maxScore: 2,
    tasks: [{ task: 'bigram', title: 'Bigram', score, maxScore: 2, passed: score === 2, failing: score === 2 ? [] : ['p'] }],
    durationMs: 10,
  });

  test('one row a student, sorted by name; a comma, a quote or a formula cannot break a spreadsheet', () => {
    const csv = toCsv(summarize([entry('=HYPERLINK("x")', 2), entry('Doe, Jane', 1.5)], 3));
    // '=' sorts before 'D' (code units).
    expect(csv).toBe(['name,status,total,max,bigram', `"'=HYPERLINK(""x"")",graded,2,2,2`, '"Doe, Jane",graded,1.5,2,1.5', ''].join('\n'));
  });
});
