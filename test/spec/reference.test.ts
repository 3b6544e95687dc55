import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TASKS } from '../../specs/index.ts';
import { REFERENCE_LAB } from '../../src/grading/grade.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import { runTask } from '../../src/spec/runner.ts';
import type { LabClient } from '../../src/sandbox/protocol.ts';

let reference: LabClient;
beforeAll(async () => {
  reference = await openInProcess(REFERENCE_LAB);
});
afterAll(() => reference.close());

describe('the reference passes every spec, and agrees with the TensorFlow.js oracle on every cross-checked case', () => {
  test.each([1, 2, 3, 4, 5])('seed %i', async (seed) => {
    for (const task of TASKS) {
      const outcome = await runTask(task, reference, { seed, reference });
      const failures = outcome.properties.filter((p) => !p.passed).map((p) => `${p.property}: ${p.message}\n${p.staff?.detail ?? ''}`);
      expect(failures, task.id).toEqual([]);
      expect(outcome.broken, task.id).toBeUndefined();
      expect(outcome.graderBugs, task.id).toEqual([]);
      expect(outcome.score, task.id).toBeCloseTo(task.points, 12);
    }
  });
});
