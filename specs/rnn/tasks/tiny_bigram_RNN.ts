/** Task tiny_bigram_RNN: { sigma, U, V, W } that behaves exactly like the lab's two-word bigram table. */
import { defineTask, example, property } from 'propgrade/spec';
import * as notebook from '../example.ts';
import { tinyBigramRNN } from '../exports.ts';
import { oneHotSequence } from '../generators/bigram.ts';
import { asWords, expectTableRowsAtEveryStep } from './bigram-rnn.ts';

export const sequences = (maxLength: number) => oneHotSequence(2, { minLength: 1, maxLength }).map((seq) => ({ T: notebook.T, seq }));

export default defineTask({
  id: 'tiny_bigram_RNN',
  title: 'A bigram model as an RNN: the two-word table',
  points: 1,
  exports: [tinyBigramRNN],
  rules: [],
  properties: [
    example('notebook-example', 'at every step of aaaaaabbaa and babbbabbb the output is the row of T for the word read', async (lab) => {
      await expectTableRowsAtEveryStep(lab, tinyBigramRNN, notebook.seq1, notebook.T);
      await expectTableRowsAtEveryStep(lab, tinyBigramRNN, notebook.seq2, notebook.T);
    }),

    property({
      id: 'every-step-is-table-row',
      title: 'over any sequence of a and b, the output at every step is the row of T for the word read',
      visibility: 'public',
      runs: 25,
      callsUpFront: true,
      cases: sequences(64),
      show: asWords,
      async check(lab, { seq }) {
        await expectTableRowsAtEveryStep(lab, tinyBigramRNN, seq, notebook.T);
      },
    }),
  ],
});
