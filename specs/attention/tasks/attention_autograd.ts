/**
 * Task attention_autograd: gradOutputWrtQ(Q, K, V, i, j) = d output[i][j] / dQ for output =
 * attention(Q, K, V), by backward(). Publicly checked against central finite differences of the
 * grader's own float64 attention, and for the structure every such gradient has: only row i of Q
 * reaches output[i][j].
 */
import { defineTask, example, expectShape, expectTensorClose, fc, fromFunction, property, type LabClient, type PlainTensor, type Tolerance } from 'propgrade/spec';
import { attentionOutput, entry } from '../arithmetic.ts';
import * as lab from '../example.ts';
import { gradOutputWrtQ } from '../exports.ts';
import { gradCase, type GradCase } from '../generators/attention.ts';

export const WHAT = 'gradOutputWrtQ(Q, K, V, i, j)';
export const run = (student: LabClient, c: Pick<GradCase, 'Q' | 'K' | 'V' | 'i' | 'j'>) => gradOutputWrtQ.call(student, c);

/** A failing case as the function's arguments. */
export const asArguments = ({ Q, K, V, i, j }: GradCase) => ({ Q, K, V, i, j });

const SIZES = { maxN: 8, maxM: 8, maxD: 4, maxDv: 4 };
/** Finite differences need scores of moderate size: the large kind saturates the softmax. */
const FD_KINDS = ['general', 'tied-scores', 'equal-rows', 'repeated-keys', 'zero-rows'] as const;

const EPS = 1e-6;
const FD_TOLERANCE: Tolerance = { abs: 1e-6, rel: 1e-5 };

/** d output[i][j] / dQ by central differences of the grader's attention, in float64. */
export function finiteDifferences({ Q, K, V, i, j }: GradCase): PlainTensor {
  const at = (k: number, delta: number) => entry(attentionOutput({ shape: Q.shape, data: Q.data.map((x, l) => (l === k ? x + delta : x)) }, K, V), i, j);
  return fromFunction(Q.shape, (k) => (at(k, EPS) - at(k, -EPS)) / (2 * EPS));
}

export default defineTask({
  id: 'attention_autograd',
  title: 'A gradient of attention by automatic differentiation',
  points: 1,
  exports: [gradOutputWrtQ],
  rules: [lab.noHardcodedExample, { rule: 'uses-backward', fix: 'Set requiresGrad on Q, compute attention(Q, K, V), call backward() on output[i][j] and return Q.grad.' }],
  properties: [
    example('lab-example', `d output[${lab.gradient.i}][${lab.gradient.j}] / dQ on the lab's Q, K, V`, async (student) => {
      expectTensorClose(await run(student, { ...lab, ...lab.gradient }), lab.answers.gradOutputWrtQ, { what: WHAT });
    }),

    property({
      id: 'matches-finite-differences',
      title: 'the gradient agrees with finite differences of output[i][j] (up to 8 queries and keys, ties and repeated keys among them)',
      visibility: 'public',
      runs: 20,
      cases: gradCase({ ...SIZES, kinds: FD_KINDS }),
      show: asArguments,
      async check(student, c) {
        expectTensorClose(await run(student, c), finiteDifferences(c), { what: WHAT, tol: FD_TOLERANCE });
      },
    }),

    property({
      id: 'only-row-i',
      title: 'only row i of Q reaches output[i][j]: every other row of the gradient is 0 (large scores in half the cases)',
      visibility: 'public',
      runs: 15,
      // Half of the cases with scores in the thousands, where a softmax that overflows shows (finite differences cannot go there).
      cases: fc.oneof(gradCase(SIZES), gradCase({ ...SIZES, kinds: ['large'] })),
      show: asArguments,
      async check(student, c) {
        const grad = expectShape(await run(student, c), c.Q.shape, WHAT);
        const d = c.Q.shape[1]!;
        const others = fromFunction(c.Q.shape, (k) => (Math.floor(k / d) === c.i ? grad.data[k]! : 0));
        expectTensorClose(grad, others, { what: `${WHAT} outside row i = ${c.i}` });
      },
    }),
  ],
});
