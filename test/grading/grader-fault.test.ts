/** A fault of the grader in one task (here the runner itself throwing) never loses the other tasks. */
import { dirname } from 'node:path';
import { expect, test, vi } from 'vitest';
import { gradeSubmission } from '../../src/grading/grade.ts';
import { toGradescope } from '../../src/reports/results.ts';
import { gradescopeProblems } from '../reports/gradescope-schema.ts';
import { REFERENCE_LAB, TASK_IDS } from '../helpers/rnn.ts';

vi.mock('../../src/spec/runner.ts', async (original) => {
  const runner = await original<typeof import('../../src/spec/runner.ts')>();
  return {
    ...runner,
    runTask: (...args: Parameters<typeof runner.runTask>) => {
      if (args[0].id === 'bigram') throw new Error('a bug in the runner');
      return runner.runTask(...args);
    },
  };
});

test('the other tasks are graded; the broken one says so, and staff get the error', async () => {
  const report = await gradeSubmission(dirname(REFERENCE_LAB), { seed: 1, runs: 2 });
  const bigram = report.tasks.find((t) => t.task === 'bigram')!;
  expect(bigram.broken).toMatchObject({ kind: 'grader-fault', message: expect.stringContaining('not your fault') });
  expect(bigram.properties.every((p) => !p.passed && p.score === 0)).toBe(true);
  expect(report.tasks.filter((t) => t.task !== 'bigram').every((t) => t.passed)).toBe(true);
  expect(report.graderFaults).toEqual([expect.stringContaining('task bigram: Error: a bug in the runner')]);
  const results = toGradescope(report);
  expect(gradescopeProblems(results)).toEqual([]);
  expect(new Set(results.tests.map((t) => t.extra_data.task))).toEqual(new Set(TASK_IDS));
});
