/** general_bigram_RNN's hidden properties (staff only). */
import { fc, property } from 'propgrade/spec';
import { bigramRNN } from '../exports.ts';
import { bigramCase } from '../generators/bigram.ts';
import { asWords, expectTableRows, runRNN } from './bigram-rnn.ts';

export default [
  property({
    id: 'interleaved-tables',
    title: 'RNNs built for different tables, run one after another, each follow their own table',
    visibility: 'hidden',
    runs: 10,
    cases: fc.tuple(bigramCase({ maxVocab: 8, maxLength: 16 }), bigramCase({ maxVocab: 8, maxLength: 16 })),
    show: ([a, b]) => [asWords(a), asWords(b)],
    callsUpFront: true,
    async check(lab, [a, b]) {
      const runs = [a, b, a];
      const outputs = await Promise.all(runs.map(({ T, seq }) => runRNN(lab, bigramRNN, seq, T)));
      runs.forEach(({ T, seq }, i) => expectTableRows(bigramRNN, outputs[i]!, seq, T, T));
    },
  }),
];
