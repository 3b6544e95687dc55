/** forward_by_hand's hidden properties (staff only). */
import { property, sameAnswerAfterOtherCalls, type Plain } from 'propgrade/spec';
import { forwardByHand } from '../exports.ts';
import { twoStepCase } from '../generators/cases.ts';
import { expectSteps, run, WHAT } from './forward_by_hand.ts';

export default [
  property({
    id: 'matches-reference',
    title: 'h1, o1, h2, o2 match the reference solution on generated networks',
    visibility: 'hidden',
    runs: 30,
    callsUpFront: true,
    cases: twoStepCase(),
    async check(lab, c, ctx) {
      expectSteps(await run(lab, c), (await forwardByHand.expected(ctx, c)) as Record<string, Plain>);
    },
  }),

  sameAnswerAfterOtherCalls({
    title: 'the same arguments give the same answer, even after calls with other arguments',
    visibility: 'hidden',
    runs: 10,
    cases: twoStepCase({ maxDim: 8 }),
    call: run,
    what: WHAT,
  }),
];
