/** tiny_bigram_RNN's hidden properties (staff only). */
import { sameAnswerAfterOtherCalls } from 'propgrade/spec';
import { tinyBigramRNN } from '../exports.ts';
import { asWords, runRNN } from './bigram-rnn.ts';
import { sequences } from './tiny_bigram_RNN.ts';

export default [
  sameAnswerAfterOtherCalls({
    title: 'the same sequence gives the same outputs, even after running other sequences',
    visibility: 'hidden',
    runs: 10,
    cases: sequences(16),
    call: (lab, { seq }) => runRNN(lab, tinyBigramRNN, seq),
    show: asWords,
    what: 'tinyBigramRNN run from h0 = 0',
  }),
];
