/** The class summary's counts: only graded submissions make the class's numbers; nothing is dropped. */
import { expect, test } from 'vitest';
import { isDone } from '../../src/batch/store.ts';
import { summarize, toCsv, type Entry } from '../../src/batch/summary.ts';

const task = (score: number) => ({ task: 'bigram' as const, title: 'Bigram', score, maxScore: 2, passed: score === 2, failing: score === 2 ? [] : ['p'] });
const entry = (name: string, status: string, score: number | null): Entry =>
  ({ name, seed: 1, status, score, maxScore: 2, tasks: score === null ? [] : [task(score)], durationMs: 1 }) as Entry;

test('not graded and no submission are counted apart; an entry of an unknown status (an older version) is not graded, and resumed', () => {
  const entries = [entry('a', 'graded', 2), entry('b', 'graded', 1), entry('c', 'no-submission', 0), entry('d', 'not-graded', null), entry('e', 'grader-crash', 0)];
  const summary = summarize(entries, 7);
  expect(summary).toMatchObject({ submissions: 5, graded: 2, maxScore: 2, distribution: { mean: 1.5, median: 1.5, min: 1, max: 2 } });
  expect(summary.tasks[0]).toMatchObject({ passRate: 0.5, meanScore: 1.5, mostCommonFailure: { property: 'p', count: 1 } });
  expect(summary.noSubmission.map((p) => p.name)).toEqual(['c']);
  expect(summary.notGraded.map((p) => p.name)).toEqual(['d', 'e']);
  expect(entries.map(isDone)).toEqual([true, true, true, false, false]);
  expect(toCsv(summary).split('\n').slice(1, 5)).toEqual(['a,graded,2,2,2', 'b,graded,1,2,1', 'c,no-submission,0,2,0', 'd,not-graded,,2,']);
});
