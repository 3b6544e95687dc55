import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bigramCase } from '../generators/bigram.ts';
import { firstPreActivation, forwardCase, gradCase, twoStepCase, type TwoStepCase } from '../generators/cases.ts';
import { matVec } from '../../../src/spec/plain.ts';
import { preActivations } from '../generators/rnn.ts';
import { RNN, TASK_IDS } from '../../../test/helpers/rnn.ts';

describe('the task specs', () => {
  test("one spec a task, in the contract's order; the optional task scores 0", () => {
    expect(RNN.tasks.map((t) => t.id)).toEqual([...TASK_IDS]);
    expect(RNN.tasks.map((t) => t.points)).toEqual([1, 1, 1, 1, 1, 1, 0]);
  });

  test("every task checks the notebook's example publicly and has hidden properties too", () => {
    for (const task of RNN.tasks) {
      expect(task.properties[0], task.id).toMatchObject({ id: 'notebook-example', visibility: 'public', fixed: true, runs: 1 });
      expect(task.properties.some((p) => p.visibility === 'hidden'), task.id).toBe(true);
      expect(task.properties.some((p) => p.visibility === 'public' && !p.fixed), task.id).toBe(true);
    }
  });

  test('static rules per task', () => {
    const rules = Object.fromEntries(RNN.tasks.map((t) => [t.id, t.rules.map((r) => r.rule)]));
    expect(rules).toEqual({
      forward_by_hand: ['no-hardcoded-example'],
      forward_function: ['no-hardcoded-example'],
      bigram: [],
      tiny_bigram_RNN: [],
      general_bigram_RNN: [],
      automatic_diff: ['no-hardcoded-example', 'uses-backward'],
      bptt_general: ['no-autograd'],
    });
  });
});

/** Share of `n` sampled cases (fixed seed) where `predicate` holds. */
const share = <T>(arb: fc.Arbitrary<T>, predicate: (c: T) => boolean, n = 400) =>
  fc.sample(arb, { numRuns: n, seed: 20261125 }).filter(predicate).length / n;

describe('the cases that expose input-dependent bugs come often', () => {
  test('automatic_diff: the pre-activation sits exactly at the kink in a third of the cases, is negative or above 1 in many', () => {
    expect(share(gradCase(), (c) => firstPreActivation(c) === 0)).toBeGreaterThan(0.25);
    expect(share(gradCase(), (c) => firstPreActivation(c) < 0)).toBeGreaterThan(0.2);
    // Measured 9.5% over 16 000 cases (the same before and after the draws were keyed, issue 14): 400 cases sat on the 10% line.
    expect(share(gradCase(), (c) => firstPreActivation(c) > 1, 2000)).toBeGreaterThan(0.08);
  });

  test('forward_by_hand: a pre-activation above 1 in many cases (a relu capped at 1 shows)', () => {
    const above1 = (c: TwoStepCase) => matVec(c.U, c.x1).data.some((z, i) => z + matVec(c.V, c.h0).data[i]! > 1);
    expect(share(twoStepCase(), above1)).toBeGreaterThan(0.15);
  });

  test('forward_by_hand: h0 is not zero and dim is at least 2 in most cases', () => {
    expect(share(twoStepCase(), (c) => c.h0.data.some((x) => x !== 0))).toBeGreaterThan(0.4);
    expect(share(twoStepCase(), (c) => c.dim >= 2)).toBeGreaterThan(0.6);
  });

  test('forward_function: sequences of three steps or more, pre-activations above 1', () => {
    expect(share(forwardCase(), (c) => c.N >= 3)).toBeGreaterThan(0.5);
    expect(share(forwardCase(), (c) => preActivations(c).some((z) => z.some((v) => v > 1)))).toBeGreaterThan(0.2);
  });

  test('bigram: vocabularies of three words or more, and asymmetric tables', () => {
    const asymmetric = ({ T }: { T: { shape: number[]; data: Float64Array } }) =>
      T.data.some((x, k) => x !== T.data[(k % T.shape[0]!) * T.shape[0]! + Math.floor(k / T.shape[0]!)]);
    expect(share(bigramCase(), (c) => c.V >= 3)).toBeGreaterThan(0.5);
    expect(share(bigramCase(), asymmetric)).toBeGreaterThan(0.6);
    expect(share(bigramCase({ maxLength: 64 }), (c) => c.seq.shape[0]! >= 3)).toBeGreaterThan(0.5);
  });
});
