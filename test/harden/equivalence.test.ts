/** The small-case search tells equivalent mutants from distinguishable ones, with the input that shows it. */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { searchDifference } from '../../src/harden/equivalence.ts';
import { domainMutants } from '../../src/harden/mutants/index.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import type { LabClient } from '../../src/sandbox/protocol.ts';
import { REFERENCE_LAB, RNN } from '../helpers/rnn.ts';

let text: string;
let reference: LabClient;
beforeAll(async () => {
  text = await readFile(REFERENCE_LAB, 'utf8');
  reference = await openInProcess(REFERENCE_LAB, { driver: RNN.paths.driver });
});
afterAll(() => reference.close());

/** The reference with one piece of sequenceProbability rewritten. */
const rewritten = (from: string, to: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

test('a product with its factors swapped (a.mul(b) -> b.mul(a)) is equivalent', async () => {
  const mutant = rewritten('probability.mul(transition)', 'transition.mul(probability)');
  const found = await searchDifference(RNN, mutant, ['bigram'], reference);
  expect(found.equivalent).toBe(true);
  // Sequences of length 1..5 over 2 words (62) on two tables, and over 3 words (363) on one.
  expect(found.cases).toBe(2 * 62 + 363);
  expect(found.difference).toBeUndefined();
});

test('a transposed table is told apart on the first sequence that crosses words: a then b', async () => {
  const mutant = rewritten('.matmul(table)', '.matmul(table.T)');
  const found = await searchDifference(RNN, mutant, ['bigram'], reference);
  expect(found.equivalent).toBe(false);
  // Cases in order: a, b, aa (all agree), then ab: T[a, b] = 0.25 where the transpose reads T[b, a] = 0.4.
  expect(found.cases).toBe(4);
  expect(found.difference).toMatchObject({ exportName: 'sequenceProbability', expected: { shape: [], data: Float64Array.of(0.25) }, actual: { shape: [], data: Float64Array.of(0.4) } });
});

test("relu'(0) = 1 in BPTT is equivalent under the subgradient rule; ignoring relu' altogether is not", async () => {
  const [kinkSide] = domainMutants(text, RNN.tasks, ['kink-side']);
  const atKink = await searchDifference(RNN, kinkSide!.text, kinkSide!.tasks, reference);
  expect(atKink.equivalent).toBe(true);
  expect(atKink.reason).toMatch(/subgradient rule/);

  const [slopeIgnored] = domainMutants(text, RNN.tasks, ['relu-slope-ignored']);
  const everywhere = await searchDifference(RNN, slopeIgnored!.text, slopeIgnored!.tasks, reference);
  expect(everywhere.equivalent).toBe(false);
  expect(everywhere.difference?.exportName).toBe('bpttGradU');
});

test('a mutant that keeps state between calls is told apart even though each answer alone looks right', async () => {
  const [kept] = domainMutants(text, RNN.tasks, ['state-kept']);
  const found = await searchDifference(RNN, kept!.text, kept!.tasks, reference);
  expect(found.equivalent).toBe(false);
  // The first call agrees; the second starts from the first call's final state.
  expect(found.cases).toBe(2);
});
