/**
 * Bigram inputs: one-hot sequences and row-stochastic tables. Table entries are multiples of
 * 1/1024 whose rows sum to exactly 1 (in float32 and float64), so a sequence's probability is a
 * product the oracle can check tightly.
 */
import { fc, fromFunction, labelSize, vocabSize, type PlainTensor } from 'propgrade/spec';

/** Grid of the table entries: every row is a composition of DENOMINATOR into V parts. */
export const DENOMINATOR = 1024;

export interface LengthOptions {
  minLength?: number;
  maxLength?: number;
}

/** The word indices of a sequence over a vocabulary of `vocab` words. */
export const wordIndices = (vocab: number, { minLength = 1, maxLength = 20 }: LengthOptions = {}) =>
  fc.array(fc.integer({ min: 0, max: vocab - 1 }), { minLength, maxLength });

export const oneHot = (words: number[], vocab: number): PlainTensor =>
  fromFunction([words.length, vocab], (i) => (words[Math.floor(i / vocab)] === i % vocab ? 1 : 0));

/** A [N, V] tensor of one-hot rows. */
export const oneHotSequence = (vocab: number, lengths: LengthOptions = {}): fc.Arbitrary<PlainTensor> =>
  wordIndices(vocab, lengths).map((words) => oneHot(words, vocab));

/** The word of each one-hot row. */
export const wordsOf = (seq: PlainTensor): number[] =>
  Array.from({ length: seq.shape[0] }, (_, t) => seq.data.subarray(t * seq.shape[1], (t + 1) * seq.shape[1]).indexOf(1));

export const TABLE_KINDS = ['general', 'with-zeros', 'one-hot-row', 'near-uniform'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

/** A row of V entries on the grid that sums to exactly 1: the gaps between sorted cut points. */
const gridRow = (vocab: number, zeros: boolean): fc.Arbitrary<number[]> =>
  fc
    .array(fc.integer({ min: 0, max: zeros ? 4 : DENOMINATOR }), { minLength: vocab - 1, maxLength: vocab - 1 })
    .map((cuts) => {
      // With zeros: few distinct cut values (0..4 scaled), so several gaps are exactly 0.
      const points = [0, ...cuts.map((c) => (zeros ? (c * DENOMINATOR) / 4 : c)).sort((a, b) => a - b), DENOMINATOR];
      return points.slice(1).map((p, j) => (p - points[j]) / DENOMINATOR);
    });

const nearUniformRow = (vocab: number): number[] => {
  const base = Math.floor(DENOMINATOR / vocab);
  const extra = DENOMINATOR - base * vocab; // spread the remainder one grid step at a time
  return Array.from({ length: vocab }, (_, j) => (base + (j < extra ? 1 : 0)) / DENOMINATOR);
};

const tableOf = (rows: number[][]): PlainTensor => ({ shape: [rows.length, rows.length], data: Float64Array.from(rows.flat()) });

export interface BigramTable {
  kind: TableKind;
  T: PlainTensor;
}

/** A row-stochastic [V, V] table of a kind that stresses a different path. */
export function bigramTableOfKind(vocab: number, kind: TableKind): fc.Arbitrary<PlainTensor> {
  const rows = (zeros: boolean) => fc.array(gridRow(vocab, zeros), { minLength: vocab, maxLength: vocab });
  switch (kind) {
    case 'general':
      return rows(false).map(tableOf);
    case 'with-zeros':
      return rows(true).map(tableOf);
    case 'one-hot-row':
      return fc
        .tuple(rows(false), fc.integer({ min: 0, max: vocab - 1 }), fc.integer({ min: 0, max: vocab - 1 }))
        .map(([table, row, word]) => tableOf(table.map((r, i) => (i === row ? r.map((_, j) => (j === word ? 1 : 0)) : r))));
    case 'near-uniform':
      return fc.constant(tableOf(Array.from({ length: vocab }, () => nearUniformRow(vocab))));
  }
}

export const bigramTableCase = (vocab: number): fc.Arbitrary<BigramTable> =>
  fc.constantFrom(...TABLE_KINDS).chain((kind) => bigramTableOfKind(vocab, kind).map((T) => ({ kind, T })));

export const bigramTable = (vocab: number): fc.Arbitrary<PlainTensor> => bigramTableCase(vocab).map(({ T }) => T);

export interface BigramCase {
  V: number;
  kind: TableKind;
  T: PlainTensor;
  seq: PlainTensor;
}

export function bigramCase({ maxVocab = 30, ...lengths }: LengthOptions & { maxVocab?: number } = {}): fc.Arbitrary<BigramCase> {
  return vocabSize({ max: maxVocab }).chain((V) =>
    fc.record({ V: fc.constant(V), table: bigramTableCase(V), seq: oneHotSequence(V, lengths) }).map(({ V, table, seq }) => ({ V, ...table, seq })),
  );
}

/** The probability of the sequence's transitions, in float64: prod_t T[w_t, w_{t+1}]. */
export function transitionProbability(seq: PlainTensor, T: PlainTensor): number {
  const words = wordsOf(seq);
  const V = T.shape[0];
  return words.slice(1).reduce((p, w, t) => p * T.data[words[t] * V + w], 1);
}

export const labelBigramCase = ({ V, kind, T, seq }: BigramCase, maxVocab = 30): string[] => [
  labelSize('V', V, maxVocab),
  `table=${kind}`,
  `N=${seq.shape[0] === 1 ? '1' : seq.shape[0] <= 4 ? '2..4' : '5+'}`,
  transitionProbability(seq, T) === 0 ? 'probability=0' : 'probability>0',
];
