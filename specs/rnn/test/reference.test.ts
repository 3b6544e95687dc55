import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openInProcess } from '../../../src/sandbox/inprocess.ts';
import { openLabOracle } from '../../../src/spec/oracle.ts';
import { runTask } from '../../../src/spec/runner.ts';
import type { LabClient } from '../../../src/sandbox/protocol.ts';
import { REFERENCE_LAB, RNN } from '../../../test/helpers/rnn.ts';

let reference: LabClient;
let labOracle: Awaited<ReturnType<typeof openLabOracle>>;
beforeAll(async () => {
  reference = await openInProcess(REFERENCE_LAB, { driver: RNN.paths.driver });
  labOracle = await openLabOracle(RNN);
});
afterAll(async () => {
  await reference.close();
  await labOracle.close();
});

describe('the reference passes every spec, and agrees with the TensorFlow.js oracle on every cross-checked case', () => {
  test.each([1, 2, 3, 4, 5])('seed %i', async (seed) => {
    for (const task of RNN.tasks) {
      const outcome = await runTask(task, reference, { seed, reference, oracle: labOracle.oracle, drivers: RNN.drivers });
      const failures = outcome.properties.filter((p) => !p.passed).map((p) => `${p.property}: ${p.message}\n${p.staff?.detail ?? ''}`);
      expect(failures, task.id).toEqual([]);
      expect(outcome.broken, task.id).toBeUndefined();
      expect(outcome.graderBugs, task.id).toEqual([]);
      expect(outcome.score, task.id).toBeCloseTo(task.points, 12);
    }
  });
});
