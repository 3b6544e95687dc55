/** Task general_bigram_RNN: bigramRNN(T) builds { sigma, U, V, W } for any V x V bigram table. */
import { defineTask, example, property } from 'propgrade/spec';
import * as notebook from '../example.ts';
import { bigramRNN } from '../exports.ts';
import { bigramCase, bigramTablesCase, wordsOf } from '../generators/bigram.ts';
import { asWords, expectTableRows, expectTableRowsAtEveryStep, runRNN } from './bigram-rnn.ts';

export default defineTask({
  id: 'general_bigram_RNN',
  title: 'A bigram model as an RNN: any table',
  points: 1,
  exports: [bigramRNN],
  rules: [],
  properties: [
    example('notebook-example', "bigramRNN(T) for the notebook's table reproduces T's rows over aaaaaabbaa and babbbabbb", async (lab) => {
      await expectTableRowsAtEveryStep(lab, bigramRNN, notebook.seq1, notebook.T, notebook.T);
      await expectTableRowsAtEveryStep(lab, bigramRNN, notebook.seq2, notebook.T, notebook.T);
    }),

    property({
      id: 'every-step-is-table-row',
      title: 'for tables up to 30 words (with zeros, one-hot and near-uniform rows), the output at every step is the row of T for the word read',
      visibility: 'public',
      runs: 25,
      callsUpFront: true,
      cases: bigramCase({ maxVocab: 30, minLength: 1, maxLength: 64 }),
      show: asWords,
      async check(lab, { T, seq }) {
        await expectTableRowsAtEveryStep(lab, bigramRNN, seq, T, T);
      },
    }),

    property({
      id: 'tables-of-one-size',
      title: 'RNNs built for two tables of the same size, run one after the other, each follow their own table',
      visibility: 'public',
      runs: 10,
      cases: bigramTablesCase({ maxVocab: 8, tables: 2, minLength: 1, maxLength: 16 }).map(({ tables: [T1, T2], seq }) => ({ T1: T1!, T2: T2!, seq })),
      show: ({ T1, T2, seq }) => ({ seq: wordsOf(seq), T1, T2 }),
      callsUpFront: true,
      async check(lab, { T1, T2, seq }) {
        const tables = [T1, T2, T1];
        const outputs = await Promise.all(tables.map((T) => runRNN(lab, bigramRNN, seq, T)));
        tables.forEach((T, i) => expectTableRows(bigramRNN, outputs[i]!, seq, T, T));
      },
    }),
  ],
});
