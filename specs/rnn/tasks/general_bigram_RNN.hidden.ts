/** general_bigram_RNN's hidden properties (staff only). */
import { fc, property } from 'propgrade/spec';
import { bigramRNN } from '../exports.ts';
import { bigramCase } from '../generators/bigram.ts';
import { asWords, expectTableRowsAtEveryStep } from './bigram-rnn.ts';

export default [
  property({
    id: 'interleaved-tables',
    title: 'RNNs built for different tables, run one after another, each follow their own table',
    visibility: 'hidden',
    runs: 10,
    cases: fc.tuple(bigramCase({ maxVocab: 8, maxLength: 16 }), bigramCase({ maxVocab: 8, maxLength: 16 })),
    show: ([a, b]) => [asWords(a), asWords(b)],
    async check(lab, [a, b]) {
      for (const { T, seq } of [a, b, a]) await expectTableRowsAtEveryStep(lab, bigramRNN, seq, T, T);
    },
  }),
];
