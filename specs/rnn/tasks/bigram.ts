/** Task bigram: sequenceProbability(seq, T) = prod_t T[w_t, w_{t+1}]; the first word contributes nothing. */
import { defineTask, example, expectInRange, expectShape, expectTensorClose, property, type LabClient, type Plain, type PlainTensor, type Tolerance } from 'propgrade/spec';
import * as notebook from '../example.ts';
import { sequenceProbability } from '../exports.ts';
import { bigramCase, bigramTablesCase, transitionProbability, wordsOf } from '../generators/bigram.ts';
import { bigramPairCase, concatRows } from '../generators/cases.ts';
import { asWords } from './bigram-rnn.ts';

export const WHAT = 'sequenceProbability(seq, T)';
/** Probabilities of long sequences are tiny: compare them relatively, never absolutely. */
export const RELATIVE: Tolerance = { abs: 0, rel: 1e-9 };
export const LENGTHS = { minLength: 1, maxLength: 64 };

export const call = (lab: LabClient, seq: PlainTensor, T: PlainTensor) => sequenceProbability.call(lab, { seq, T });
const scalarOf = (answer: Plain) => expectShape(answer, [], WHAT).data[0]!;
const probability = async (lab: LabClient, seq: PlainTensor, T: PlainTensor) => scalarOf(await call(lab, seq, T));

export default defineTask({
  id: 'bigram',
  title: 'The probability of a sequence under a bigram model',
  points: 1,
  exports: [sequenceProbability],
  rules: [],
  properties: [
    example('notebook-example', "P(aaaaaabbaa) and P(babbbabbb) under the notebook's table", async (lab) => {
      expectTensorClose(await call(lab, notebook.seq1, notebook.T), notebook.probabilitySeq1, { what: `${WHAT} for aaaaaabbaa`, tol: RELATIVE });
      expectTensorClose(await call(lab, notebook.seq2, notebook.T), notebook.probabilitySeq2, { what: `${WHAT} for babbbabbb`, tol: RELATIVE });
    }),

    property({
      id: 'one-word-is-certain',
      title: 'a one-word sequence has probability 1 (the first word contributes nothing), for any vocabulary size',
      visibility: 'public',
      runs: 10,
      callsUpFront: true,
      cases: bigramTablesCase({ tables: 1, minLength: 1, maxLength: 1 }).map(({ tables: [T], seq }) => ({ T: T!, seq })),
      show: asWords,
      async check(lab, { T, seq }) {
        expectTensorClose(await call(lab, seq, T), 1, { what: WHAT });
      },
    }),

    property({
      id: 'in-unit-interval',
      title: 'P(s) lies in [0, 1] (vocabularies up to 30 words, tables with zeros)',
      visibility: 'public',
      runs: 20,
      callsUpFront: true,
      cases: bigramCase({ maxVocab: 30, ...LENGTHS }),
      show: asWords,
      async check(lab, { T, seq }) {
        expectInRange(await probability(lab, seq, T), 0, 1, WHAT);
      },
    }),

    property({
      id: 'two-tables',
      title: 'the same sequence under two tables of one size, one after the other: each probability is the product of its own table\'s T[w_t, w_{t+1}]',
      visibility: 'public',
      runs: 15,
      cases: bigramTablesCase({ maxVocab: 30, tables: 2, minLength: 2, maxLength: 32 }).map(({ tables: [T1, T2], seq }) => ({ seq, T1: T1!, T2: T2! })),
      show: ({ seq, T1, T2 }) => ({ seq: wordsOf(seq), T1, T2 }),
      callsUpFront: true,
      async check(lab, { seq, T1, T2 }) {
        const tables = [['T1', T1], ['T2', T2], ['T1', T1]] as const;
        const answers = await Promise.all(tables.map(([, T]) => call(lab, seq, T)));
        tables.forEach(([name, T], i) => {
          expectTensorClose(answers[i]!, transitionProbability(seq, T), { what: `${WHAT} with T = ${name} (expected: the product of ${name}'s entries)`, tol: RELATIVE });
        });
      },
    }),

    property({
      id: 'concatenation',
      title: 'P(s ++ t) = P(s) · T[last word of s, first word of t] · P(t)',
      visibility: 'public',
      runs: 30,
      cases: bigramPairCase({ maxVocab: 30, minLength: 1, maxLength: 32 }),
      show: ({ T, s, t }) => ({ s: wordsOf(s), t: wordsOf(t), T }),
      callsUpFront: true,
      async check(lab, { T, s, t }) {
        const [last, first] = [wordsOf(s).at(-1)!, wordsOf(t)[0]!];
        const [ps, pt, whole] = await Promise.all([call(lab, s, T), call(lab, t, T), call(lab, concatRows(s, t), T)]);
        const joined = scalarOf(ps) * T.data[last * T.shape[0]! + first]! * scalarOf(pt);
        expectTensorClose(whole, joined, {
          what: `${WHAT} for s ++ t (expected: your P(s) · T[last s, first t] · your P(t))`,
          tol: RELATIVE,
        });
      },
    }),
  ],
});
