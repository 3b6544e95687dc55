/**
 * previous_token_head's hidden properties (staff only). A design has many right answers, so the
 * reference is compared by what its head does, not by its Q and K: on long contexts the student's
 * head must attend where the reference's does (the reference is held to the same threshold; if it
 * misses, that is a grader bug).
 */
import { fc, Mismatch, property, sameAnswerAfterOtherCalls, type PlainTensor } from 'propgrade/spec';
import { entry } from '../arithmetic.ts';
import { previousTokenHead } from '../exports.ts';
import { headLength } from '../generators/attention.ts';
import { expectPreviousToken, run, WHAT } from './previous_token_head.ts';

/** Row by row, the positions of the largest weight. */
const tops = (weights: PlainTensor) =>
  Array.from({ length: weights.shape[0]! }, (_, i) => Array.from({ length: weights.shape[1]! }, (_, j) => entry(weights, i, j)).reduce((best, w, j, row) => (w > row[best]! ? j : best), 0));

export default [
  property({
    id: 'long-contexts-like-reference',
    title: "on contexts of 33 to 128 tokens the head attends where the reference's previous-token head does, with weight >= 0.99",
    visibility: 'hidden',
    runs: 8,
    cases: headLength(128, 33),
    async check(student, n, ctx) {
      let expected: PlainTensor;
      try {
        expected = expectPreviousToken(await previousTokenHead.expected(ctx, { n }), n);
      } catch (error) {
        ctx.graderBug(`the reference's head fails its own task: ${(error as Error).message}`);
        fc.pre(false);
        return;
      }
      const mine = expectPreviousToken(await run(student, n), n);
      const [want, got] = [tops(expected), tops(mine)];
      const row = want.findIndex((j, i) => got[i] !== j);
      if (row >= 0) throw new Mismatch(`with n = ${n}, row ${row} attends most to position ${got[row]}, where the reference's head attends to ${want[row]}.`, want[row], got[row]);
    },
  }),

  sameAnswerAfterOtherCalls({
    title: 'the same n gives the same Q and K, even after calls with other lengths',
    visibility: 'hidden',
    runs: 5,
    cases: headLength(16),
    call: run,
    what: WHAT,
  }),
];
