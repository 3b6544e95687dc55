/** attention_function's hidden properties (staff only). */
import { expectTensorClose, property, sameAnswerAfterOtherCalls } from 'propgrade/spec';
import { attention } from '../exports.ts';
import { asArguments, attentionCase } from '../generators/attention.ts';
import { run, WHAT } from './attention_function.ts';

export default [
  property({
    id: 'matches-reference',
    title: 'the output matches the reference solution (up to 32 queries and keys, masks, ties, large scores)',
    visibility: 'hidden',
    runs: 30,
    cases: attentionCase({ maxN: 32, maxM: 32, maxD: 16, maxDv: 16 }),
    show: asArguments,
    async check(student, c, ctx) {
      expectTensorClose(await run(student, c), await attention.expected(ctx, c), { what: WHAT });
    },
  }),

  sameAnswerAfterOtherCalls({
    title: 'the same arguments give the same output, even after calls with other arguments',
    visibility: 'hidden',
    runs: 10,
    cases: attentionCase({ maxN: 8, maxM: 8, maxD: 4, maxDv: 4 }),
    show: asArguments,
    call: run,
    what: WHAT,
  }),
];
