/** automatic_diff's hidden properties (staff only). */
import { expectTensorClose, expectWithinInterval, property, sameAnswerAfterOtherCalls } from 'propgrade/spec';
import { gradH11WrtU } from '../exports.ts';
import { firstPreActivation, gradCase } from '../generators/cases.ts';
import { oneSidedGradients, run, WHAT } from './automatic_diff.ts';

export default [
  property({
    id: 'matches-reference',
    title: 'd h1[0] / dU matches the reference solution (any value between the one-sided gradients at the kink)',
    visibility: 'hidden',
    runs: 30,
    callsUpFront: true,
    cases: gradCase(),
    async check(lab, c, ctx) {
      // The student's call goes first (callsUpFront); the reference's answer, or its skip, is still looked at first.
      const call = run(lab, c);
      call.catch(() => {});
      const expected = await gradH11WrtU.expected(ctx, c);
      const actual = await call;
      if (firstPreActivation(c) === 0) expectWithinInterval(actual, [expected, ...oneSidedGradients(c)], { what: WHAT });
      else expectTensorClose(actual, expected, { what: WHAT });
    },
  }),

  sameAnswerAfterOtherCalls({
    title: 'the same arguments give the same gradient, even after other calls (no gradient accumulates)',
    visibility: 'hidden',
    runs: 10,
    cases: gradCase({ maxDim: 8 }),
    call: run,
    what: WHAT,
  }),
];
