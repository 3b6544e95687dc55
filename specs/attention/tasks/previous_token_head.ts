/**
 * Task previous_token_head: a design. The student chooses Q and K for n tokens; the grader runs ITS
 * OWN attention on them (arithmetic.ts, never the student's attention function) with V = eye(n) and
 * the causal mask, and every row i >= 1 must put weight >= 0.99 on position i - 1.
 */
import { defineTask, example, expectFields, Mismatch, property, type LabClient, type Plain, type PlainTensor } from 'propgrade/spec';
import { attentionWeights, causalMask, entry } from '../arithmetic.ts';
import * as lab from '../example.ts';
import { previousTokenHead } from '../exports.ts';
import { headLength } from '../generators/attention.ts';

export const WHAT = 'previousTokenHead(n)';
export const THRESHOLD = 0.99;

export const run = (student: LabClient, n: number) => previousTokenHead.call(student, { n });

function describe(value: Plain): string {
  if (typeof value !== 'object' || value === null || !('shape' in value)) return `not a tensor (${value === null ? 'null' : typeof value})`;
  return `of shape [${(value as PlainTensor).shape.join(', ')}]`;
}

/** Q and K of the head: both [n, d] for one d >= 1 of the student's choice. */
export function headOf(result: Plain, n: number): { Q: PlainTensor; K: PlainTensor } {
  const { Q, K } = expectFields(result, ['Q', 'K'], WHAT);
  const matrix = (t: Plain, name: string): PlainTensor => {
    const shape = (t as PlainTensor | null)?.shape;
    if (!(Array.isArray(shape) && shape.length === 2 && shape[0] === n && shape[1]! >= 1 && (t as PlainTensor).data instanceof Float64Array)) {
      throw new Mismatch(`${WHAT}.${name} should be a tensor of shape [${n}, d] (one row per token, d >= 1 of your choice), but it is ${describe(t)}.`, undefined, t);
    }
    return t as PlainTensor;
  };
  const [q, k] = [matrix(Q!, 'Q'), matrix(K!, 'K')];
  if (q.shape[1] !== k.shape[1]) throw new Mismatch(`${WHAT}: Q is [${q.shape}] and K is [${k.shape}]: queries and keys need the same number of columns d.`);
  return { Q: q, K: k };
}

/** The position row i of `weights` attends to most. */
const argmax = (weights: PlainTensor, i: number) => {
  let best = 0;
  for (let j = 1; j < weights.shape[1]!; j++) if (entry(weights, i, j) > entry(weights, i, best)) best = j;
  return best;
};

/** The grader's causal attention weights of the student's head; a row i >= 1 below the threshold is a Mismatch. */
export function expectPreviousToken(result: Plain, n: number): PlainTensor {
  const { Q, K } = headOf(result, n);
  const weights = attentionWeights(Q, K, causalMask(n));
  for (let i = 1; i < n; i++) {
    const w = entry(weights, i, i - 1);
    if (!(w >= THRESHOLD)) {
      throw new Mismatch(
        `with n = ${n}, row ${i} of the attention weights (the grader's own attention with the causal mask on your Q and K) puts ${w} on position ${i - 1}, ` +
          `which needs at least ${THRESHOLD}; its largest weight is on position ${argmax(weights, i)}.`,
        THRESHOLD,
        w,
      );
    }
  }
  return weights;
}

export default defineTask({
  id: 'previous_token_head',
  title: 'Design a previous-token head',
  points: 1,
  exports: [previousTokenHead],
  rules: [],
  properties: [
    example('lab-example', `with n = ${lab.headLength}, every row i >= 1 puts weight >= 0.99 on position i - 1`, async (student) => {
      expectPreviousToken(await run(student, lab.headLength), lab.headLength);
    }),

    property({
      id: 'every-length',
      title: 'for every n up to 32 (n = 1 included), every row i >= 1 puts weight >= 0.99 on position i - 1',
      visibility: 'public',
      runs: 20,
      cases: headLength(32),
      async check(student, n) {
        expectPreviousToken(await run(student, n), n);
      },
    }),
  ],
});
