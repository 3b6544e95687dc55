/** attention_by_hand's hidden properties (staff only). */
import { property, sameAnswerAfterOtherCalls, type Plain } from 'propgrade/spec';
import { attentionByHand } from '../exports.ts';
import { asArguments, byHandCase } from '../generators/attention.ts';
import { expectSteps, run, WHAT } from './attention_by_hand.ts';

export default [
  property({
    id: 'matches-reference',
    title: 'scores, weights and output match the reference solution on generated 2 x 2 cases',
    visibility: 'hidden',
    runs: 30,
    cases: byHandCase(),
    show: asArguments,
    async check(student, c, ctx) {
      expectSteps(await run(student, c), (await attentionByHand.expected(ctx, c)) as Record<string, Plain>);
    },
  }),

  sameAnswerAfterOtherCalls({
    title: 'the same arguments give the same answer, even after calls with other arguments',
    visibility: 'hidden',
    runs: 10,
    cases: byHandCase(),
    show: asArguments,
    call: run,
    what: WHAT,
  }),
];
