/** attention_autograd's hidden properties (staff only). */
import { expectTensorClose, property, sameAnswerAfterOtherCalls } from 'propgrade/spec';
import { gradOutputWrtQ } from '../exports.ts';
import { gradCase } from '../generators/attention.ts';
import { asArguments, run, WHAT } from './attention_autograd.ts';

export default [
  property({
    id: 'matches-reference',
    title: 'the gradient matches the reference solution (up to 16 queries and keys, ties, large scores)',
    visibility: 'hidden',
    runs: 30,
    cases: gradCase({ maxN: 16, maxM: 16, maxD: 8, maxDv: 8 }),
    show: asArguments,
    async check(student, c, ctx) {
      expectTensorClose(await run(student, c), await gradOutputWrtQ.expected(ctx, c), { what: WHAT });
    },
  }),

  sameAnswerAfterOtherCalls({
    title: 'the same arguments give the same gradient, even after other calls (no gradient accumulates)',
    visibility: 'hidden',
    runs: 10,
    cases: gradCase({ maxN: 6, maxM: 6, maxD: 4, maxDv: 4 }),
    show: asArguments,
    call: run,
    what: WHAT,
  }),
];
