/**
 * The small-case search tells equivalent mutants from distinguishable ones, with the input that
 * shows it: on the RNN lab's own exhaustive cases, and on cases drawn from the attention lab's signatures.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signatureProbes } from '../../src/harden/cases.ts';
import { probesOf, searchDifference } from '../../src/harden/equivalence.ts';
import { labHarden } from '../../src/harden/lab.ts';
import { domainMutants } from '../../src/harden/mutants/index.ts';
import type { Lab } from '../../src/lab/load.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import type { LabClient } from '../../src/sandbox/protocol.ts';
import type { ExportFn } from '../../src/spec/signature.ts';
import { ATTENTION } from '../helpers/attention.ts';
import { RNN } from '../helpers/rnn.ts';

/** A lab's reference text, its in-process client and its probes, for one describe block. */
function labUnderTest(lab: Lab) {
  const it = {} as { text: string; reference: LabClient; probes: ReturnType<typeof probesOf>; operators: Awaited<ReturnType<typeof labHarden>>['operators'] };
  beforeAll(async () => {
    it.text = await readFile(lab.paths.reference!, 'utf8');
    it.reference = await openInProcess(lab.paths.reference!, { driver: lab.paths.driver });
    const own = await labHarden(lab);
    it.probes = probesOf(lab, own.probes);
    it.operators = own.operators;
  });
  afterAll(() => it.reference.close());
  /** The reference with one piece rewritten. */
  const rewritten = (from: string, to: string) => {
    expect(it.text).toContain(from);
    return it.text.replace(from, to);
  };
  const search = (mutant: string, tasks: string[]) => searchDifference(lab, it.probes, mutant, tasks, it.reference);
  const mutant = (operator: string) => domainMutants(it.text, lab, it.operators, [operator])[0]!;
  return { rewritten, search, mutant };
}

describe('the RNN lab: its own exhaustive cases', () => {
  const { rewritten, search, mutant } = labUnderTest(RNN);

  test('a product with its factors swapped (a.mul(b) -> b.mul(a)) is equivalent', async () => {
    const found = await search(rewritten('probability.mul(transition)', 'transition.mul(probability)'), ['bigram']);
    expect(found.equivalent).toBe(true);
    // Sequences of length 1..5 over 2 words (62) on two tables, and over 3 words (363) on one.
    expect(found.cases).toBe(2 * 62 + 363);
    expect(found.difference).toBeUndefined();
    expect(found.reason).toMatch(/every one-hot sequence up to length 5/);
  });

  test('a transposed table is told apart on the first sequence that crosses words: a then b', async () => {
    const found = await search(rewritten('.matmul(table)', '.matmul(table.T)'), ['bigram']);
    expect(found.equivalent).toBe(false);
    // Cases in order: a, b, aa (all agree), then ab: T[a, b] = 0.25 where the transpose reads T[b, a] = 0.4.
    expect(found.cases).toBe(4);
    expect(found.difference).toMatchObject({ exportName: 'sequenceProbability', expected: { shape: [], data: Float64Array.of(0.25) }, actual: { shape: [], data: Float64Array.of(0.4) } });
  });

  test("relu'(0) = 1 in BPTT is equivalent under the subgradient rule; ignoring relu' altogether is not", async () => {
    const kinkSide = mutant('kink-side');
    const atKink = await search(kinkSide.text, kinkSide.tasks);
    expect(atKink.equivalent).toBe(true);
    expect(atKink.reason).toMatch(/subgradient rule/);

    const slopeIgnored = mutant('relu-slope-ignored');
    const everywhere = await search(slopeIgnored.text, slopeIgnored.tasks);
    expect(everywhere.equivalent).toBe(false);
    expect(everywhere.difference?.exportName).toBe('bpttGradU');
  });

  test('a mutant that keeps state between calls is told apart even though each answer alone looks right', async () => {
    const kept = mutant('state-kept');
    const found = await search(kept.text, kept.tasks);
    expect(found.equivalent).toBe(false);
    // The first call agrees; the second starts from the first call's final state.
    expect(found.cases).toBe(2);
  });

  test('a bigram RNN is run by the lab driver: a V = identity mutant is told apart', async () => {
    const found = await search(mutant('v-identity').text, ['tiny_bigram_RNN']);
    expect(found.equivalent).toBe(false);
    expect(found.difference?.exportName).toBe('tinyBigramRNN');
  });
});

describe('the attention lab: cases drawn from its signatures, and its head judged by what it attends to', () => {
  const { rewritten, search, mutant } = labUnderTest(ATTENTION);

  test("the signature's cases: every size 1 to 3, masks with a 1 in every row, indices in range, the optional mask left out at times", () => {
    const attention = ATTENTION.exports.find((e) => e.name === 'attention') as ExportFn;
    const cases = [...signatureProbes(attention)!.cases()];
    expect(cases.length).toBeGreaterThan(100);
    expect(new Set(cases.map((c) => c.args.length))).toEqual(new Set([3, 4]));
    for (const { args } of cases.filter((c) => c.args.length === 4)) {
      const mask = args[3] as { shape: number[]; data: Float64Array };
      const [n, m] = mask.shape as [number, number];
      for (let i = 0; i < n; i++) expect(mask.data.subarray(i * m, (i + 1) * m)).toContain(1);
    }
    const gradient = ATTENTION.exports.find((e) => e.name === 'gradOutputWrtQ') as ExportFn;
    for (const { args } of signatureProbes(gradient)!.cases()) {
      const [Q, , V, i, j] = args as [{ shape: number[] }, unknown, { shape: number[] }, number, number];
      expect(i).toBeLessThan(Q.shape[0]!);
      expect(j).toBeLessThan(V.shape[1]!);
    }
  });

  test('a rewrite that only reassociates (Q Kᵀ / √d as Q (Kᵀ / √d)) is equivalent; scaling by d is not, and the case shows it', async () => {
    const same = await search(rewritten('Q.matmul(K.T).div(Math.sqrt(d))', 'Q.matmul(K.T.div(Math.sqrt(d)))'), ['attention_function']);
    expect(same.equivalent, same.reason).toBe(true);
    expect(same.reason).toMatch(/drawn from its signature/);
    const byD = await search(mutant('scale-by-d').text, ['attention_function']);
    expect(byD.equivalent).toBe(false);
    expect(byD.difference?.exportName).toBe('attention');
  });

  test('a head that is weaker but still puts 0.99 on the previous token is equivalent; one too weak for long heads is not', async () => {
    const slightly = await search(rewritten('Math.log(100 * n)', 'Math.log(200 * n)'), ['previous_token_head']);
    expect(slightly.equivalent, slightly.reason).toBe(true);
    const weak = await search(rewritten('Math.log(100 * n)', 'Math.log(100) + 2'), ['previous_token_head']);
    expect(weak.equivalent).toBe(false);
    expect(weak.difference).toMatchObject({ exportName: 'previousTokenHead', expected: 1, actual: 0 });
  });
});
