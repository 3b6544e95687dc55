// RNN and bigram cases: well-formed for the lab's functions, and hitting what they are for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigramCase, bigramTableOfKind, DENOMINATOR, oneHot, oneHotSequence, TABLE_KINDS, transitionProbability, wordsOf } from '../generators/bigram.ts';
import { gradCase, startState, twoStepCase } from '../generators/cases.ts';
import { hitsKink, labelRnnCase, longRnnCase, preActivations, rnnCase, scalarPreActivations, scalarRnnCase } from '../generators/rnn.ts';

const draw = <T>(arb: fc.Arbitrary<T>, numRuns = 500) => fc.sample(arb, { numRuns, seed: 42 });
const rows = (T: { shape: number[]; data: Float64Array }) =>
  Array.from({ length: T.shape[0]! }, (_, i) => Array.from(T.data.subarray(i * T.shape[1]!, (i + 1) * T.shape[1]!)));

describe('rnnCase', () => {
  it('gives square dim x dim weights, an [N, dim] input and h0 = zeros(dim)', () => {
    for (const c of draw(rnnCase({ maxDim: 8, maxN: 6 }), 200)) {
      for (const M of [c.U, c.V, c.W]) expect(M.shape).toEqual([c.dim, c.dim]);
      expect(c.input.shape).toEqual([c.N, c.dim]);
      expect(c.h0).toEqual({ shape: [c.dim], data: new Float64Array(c.dim) });
      expect([...c.U.data, ...c.V.data, ...c.W.data, ...c.input.data].every((x) => Number.isInteger(x * 8 * 32))).toBe(true);
    }
  });
  it('puts a pre-activation exactly on 0 in more than a third of cases (measured 41% over 1000)', () => {
    const cases = draw(rnnCase(), 1000);
    const share = cases.filter(hitsKink).length / cases.length;
    expect(share).toBeGreaterThan(0.33);
    expect(cases.filter((c) => labelRnnCase(c).includes('exact-kink')).length / cases.length).toBe(share);
  });
  it('computes pre-activations step by step (a 1-d case by hand)', () => {
    // U = 1, V = -1/2, input = [1, 2, -4]: a1 = 1, h1 = 1; a2 = 2 - 1/2 = 3/2; a3 = -4 - 3/4 = -19/4
    const c = { dim: 1, N: 3, U: { shape: [1, 1], data: Float64Array.of(1) }, V: { shape: [1, 1], data: Float64Array.of(-0.5) }, input: { shape: [3, 1], data: Float64Array.of(1, 2, -4) }, h0: { shape: [1], data: Float64Array.of(0) } };
    expect(preActivations(c).map((a) => a[0])).toEqual([1, 1.5, -4.75]);
  });
});

describe('startState', () => {
  const kinds = (h: Float64Array) => {
    const sum = h.reduce((a, b) => a + b, 0);
    return { zero: h.every((x) => x === 0), negative: h.some((x) => x < 0), cancelling: sum === 0 && h.some((x) => x !== 0) };
  };
  it('draws zero, negative and cancelling states (non-zero entries summing to exactly 0) each in at least 15% of cases of size 2 or more', () => {
    for (const dim of [2, 3, 8]) {
      const states = draw(startState(dim), 400).map((h) => kinds(h.data));
      for (const kind of ['zero', 'negative', 'cancelling'] as const) expect(states.filter((k) => k[kind]).length / states.length, `${kind} at dim ${dim}`).toBeGreaterThan(0.15);
    }
  });
  it('is the h0 of both two-step and gradient cases', () => {
    for (const arb of [twoStepCase({ maxDim: 6 }), gradCase({ maxDim: 6 })]) {
      const cases = draw(arb as fc.Arbitrary<{ h0: { data: Float64Array } }>, 300);
      expect(cases.filter((c) => kinds(c.h0.data).cancelling).length).toBeGreaterThan(30);
    }
  });
});

describe('longRnnCase', () => {
  it('runs past 32 steps in at least 40% of cases, and reaches maxN', () => {
    const cases = draw(longRnnCase({ maxDim: 4, maxN: 80 }), 300);
    expect(cases.filter((c) => c.N > 32).length / cases.length).toBeGreaterThan(0.4);
    expect(cases.some((c) => c.N === 80)).toBe(true);
    for (const c of cases) expect(c.input.shape).toEqual([c.N, c.dim]);
  });
});

describe('scalarRnnCase', () => {
  it('has N + 1 inputs and hits relu\'s kink in more than 40% of cases (measured 53%)', () => {
    const cases = draw(scalarRnnCase(), 1000);
    expect(cases.every((c) => c.x.length >= 2 && c.x.length <= 17)).toBe(true);
    expect(cases.filter((c) => scalarPreActivations(c).includes(0)).length / cases.length).toBeGreaterThan(0.4);
  });
  it('pre-activations by hand: U=1, V=1, x=[0, 1, 5], h0=0 gives 0 then 1', () => {
    expect(scalarPreActivations({ U: 1, V: 1, W: 1, x: [0, 1, 5], h0: 0 })).toEqual([0, 1]);
  });
});

describe('bigram inputs', () => {
  it('one-hot sequences have exactly one 1 per row', () => {
    for (const seq of draw(oneHotSequence(5, { minLength: 1, maxLength: 9 }), 200)) {
      expect(seq.shape[1]).toBe(5);
      expect(rows(seq).every((r) => r.filter((x) => x === 1).length === 1 && r.every((x) => x === 0 || x === 1))).toBe(true);
    }
    expect(wordsOf(oneHot([2, 0, 1], 3))).toEqual([2, 0, 1]);
  });
  it.each(TABLE_KINDS)('%s tables are row-stochastic: entries on the 1/1024 grid summing to exactly 1', (kind) => {
    for (const V of [1, 2, 3, 7, 30]) {
      for (const T of draw(bigramTableOfKind(V, kind), 50)) {
        expect(T.shape).toEqual([V, V]);
        for (const row of rows(T)) {
          expect(row.every((p) => p >= 0 && Number.isInteger(p * DENOMINATOR))).toBe(true);
          expect(row.reduce((a, b) => a + b, 0)).toBe(1);
          expect(Math.fround(row.reduce((a, b) => Math.fround(a + b), 0))).toBe(1);
        }
      }
    }
  });
  it('each kind shows its feature: zeros, a one-hot row, near-uniform rows', () => {
    const zeros = draw(bigramTableOfKind(4, 'with-zeros'), 100);
    expect(zeros.filter((T) => T.data.includes(0)).length).toBeGreaterThan(90);
    expect(draw(bigramTableOfKind(4, 'one-hot-row'), 100).every((T) => rows(T).some((r) => r.filter((x) => x === 1).length === 1))).toBe(true);
    const [uniform] = draw(bigramTableOfKind(3, 'near-uniform'), 1);
    // 1024 = 341 * 3 + 1: one entry one grid step above the others
    expect(rows(uniform!)[0]).toEqual([342 / 1024, 341 / 1024, 341 / 1024]);
  });
  it('bigramCase ties V, T and seq together; the probability is the product of transitions', () => {
    for (const c of draw(bigramCase(), 200)) {
      expect(c.T.shape).toEqual([c.V, c.V]);
      expect(c.seq.shape[1]).toBe(c.V);
    }
    const T = { shape: [2, 2], data: Float64Array.of(0.75, 0.25, 0.5, 0.5) };
    expect(transitionProbability(oneHot([0, 0, 1, 1], 2), T)).toBe(0.75 * 0.25 * 0.5);
  });
});
