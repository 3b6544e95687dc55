/** The reference gets full marks at 20 seeds, and agrees with the TensorFlow.js oracle on every cross-checked case. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openInProcess } from '../../../src/sandbox/inprocess.ts';
import { openLabOracle } from '../../../src/spec/oracle.ts';
import { runTask } from '../../../src/spec/runner.ts';
import type { LabClient } from '../../../src/sandbox/protocol.ts';
import { ATTENTION } from '../../../test/helpers/attention.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

let reference: LabClient;
let labOracle: Awaited<ReturnType<typeof openLabOracle>>;
beforeAll(async () => {
  reference = await openInProcess(ATTENTION.paths.reference!, {});
  labOracle = await openLabOracle(ATTENTION);
});
afterAll(async () => {
  await reference.close();
  await labOracle.close();
});

describe('the reference passes every property of every task, hidden ones and the oracle cross-check included', () => {
  test.each(SEEDS)('seed %i', async (seed) => {
    for (const task of ATTENTION.tasks) {
      const outcome = await runTask(task, reference, { seed, reference, oracle: labOracle.oracle, drivers: ATTENTION.drivers });
      const failures = outcome.properties.filter((p) => !p.passed).map((p) => `${p.property}: ${p.message}\n${p.staff?.detail ?? ''}`);
      expect(failures, task.id).toEqual([]);
      expect(outcome.broken, task.id).toBeUndefined();
      expect(outcome.graderBugs, task.id).toEqual([]);
      expect(outcome.score, task.id).toBeCloseTo(task.points, 12);
    }
  });
});

test('the oracle is not a rubber stamp: a reference whose Jacobian is off disagrees with the autograd alternative', async () => {
  const { z } = await import('../example.ts');
  const { value, trace } = await reference.traced('softmaxJacobian', [z]);
  const wrong = { ...(value as { shape: number[]; data: Float64Array }), data: (value as { data: Float64Array }).data.map((x, i) => (i === 0 ? x + 0.01 : x)) };
  expect(await labOracle.oracle({ exportName: 'softmaxJacobian', args: [z], value: wrong, trace })).toMatch(/softmaxJacobian/);
  expect(await labOracle.oracle({ exportName: 'softmaxJacobian', args: [z], value, trace })).toBeNull();
});
