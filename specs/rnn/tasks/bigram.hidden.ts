/** bigram's hidden properties (staff only). */
import { expectTensorClose, property, sameAnswerAfterOtherCalls } from 'propgrade/spec';
import { sequenceProbability } from '../exports.ts';
import { bigramCase, type BigramCase } from '../generators/bigram.ts';
import { asWords } from './bigram-rnn.ts';
import { call, LENGTHS, RELATIVE, WHAT } from './bigram.ts';

export default [
  property({
    id: 'matches-reference',
    title: 'P(s) matches the reference solution (vocabularies up to 30 words, sequences up to 64)',
    visibility: 'hidden',
    runs: 30,
    callsUpFront: true,
    cases: bigramCase({ maxVocab: 30, ...LENGTHS }),
    show: asWords,
    async check(lab, { T, seq }: BigramCase, ctx) {
      expectTensorClose(await call(lab, seq, T), await sequenceProbability.expected(ctx, { seq, T }), { what: WHAT, tol: RELATIVE });
    },
  }),

  sameAnswerAfterOtherCalls({
    title: 'the same sequence and table give the same probability, even after calls with others',
    visibility: 'hidden',
    runs: 10,
    cases: bigramCase({ maxVocab: 8, maxLength: 16 }),
    call: (lab, { T, seq }) => call(lab, seq, T),
    show: asWords,
    what: WHAT,
  }),
];
