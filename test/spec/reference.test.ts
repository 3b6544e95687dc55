import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TASKS } from '../../specs/index.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import { runTask } from '../../src/spec/runner.ts';
import type { LabClient } from '../../src/sandbox/protocol.ts';

let reference: LabClient;
beforeAll(async () => {
  reference = await openInProcess('reference/lab.ts');
});
afterAll(() => reference.close());

describe('the reference passes every spec', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    test(`seed ${seed}`, async () => {
      const t0 = performance.now();
      for (const task of TASKS) {
        const outcome = await runTask(task, reference, { seed, reference });
        const failures = outcome.properties.filter((p) => !p.passed).map((p) => `${p.property}: ${p.message}\n${p.staff?.detail ?? ''}`);
        expect(failures, task.id).toEqual([]);
        expect(outcome.broken).toBeUndefined();
        expect(outcome.score).toBeCloseTo(task.points, 12);
      }
      console.log(`seed ${seed}: ${(performance.now() - t0).toFixed(0)} ms`);
    });
  }
});

test('the reference grades clean with the real oracle: no grader bug, every cross-checked case agrees', async () => {
  for (const task of TASKS) {
    const outcome = await runTask(task, reference, { seed: 6, reference });
    expect(outcome.graderBugs, task.id).toEqual([]);
    expect(outcome.passed, task.id).toBe(true);
  }
});
