/**
 * Bigram inputs: one-hot sequences and row-stochastic tables. Table entries are multiples of
 * 1/1024 whose rows sum to exactly 1 (in float32 and float64), so a sequence's probability is a
 * product the oracle can check tightly.
 */
import { drawArray, fc, fromFunction, labelSize, shrinkingAsInteger, sized, vocabSize, type Draw, type PlainTensor } from 'propgrade/spec';

/** Grid of the table entries: every row is a composition of DENOMINATOR into V parts. */
export const DENOMINATOR = 1024;

export interface LengthOptions {
  minLength?: number;
  maxLength?: number;
}

/** A sequence length in [minLength, maxLength], drawn as fc.array draws its lengths (mostly short), shrinking toward minLength. */
export const sequenceLength = ({ minLength = 1, maxLength = 20 }: LengthOptions = {}): fc.Arbitrary<number> =>
  shrinkingAsInteger(fc.array(fc.constant(0), { minLength, maxLength }).map((items) => items.length), { min: minLength, max: maxLength });

/**
 * `length` words over a vocabulary of `vocab`: each is drawn over `maxVocab` words and folded into
 * `vocab` (`% vocab`), so that it stays a word while the vocabulary shrinks (generators/sized).
 */
export const drawWords = (draw: Draw, name: string, length: number, vocab: number, maxVocab = vocab): number[] =>
  drawArray(draw, name, length, fc.integer({ min: 0, max: maxVocab - 1 })).map((w) => w % vocab);

/** The word indices of a sequence over a vocabulary of `vocab` words. */
export const wordIndices = (vocab: number, lengths: LengthOptions = {}): fc.Arbitrary<number[]> =>
  sized({ N: sequenceLength(lengths) }, ({ N }, draw) => drawWords(draw, 'words', N, vocab));

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

/**
 * A row of V entries on the grid that sums to exactly 1: the gaps between sorted cut points. Its
 * first V' - 1 cut points make a row of a smaller table that still sums to 1.
 */
function drawRow(draw: Draw, name: string, vocab: number, zeros: boolean): number[] {
  // With zeros: few distinct cut values (0..4 scaled), so several gaps are exactly 0.
  const cuts = drawArray(draw, `${name}${zeros ? ' zero-cut' : ' cut'}`, vocab - 1, fc.integer({ min: 0, max: zeros ? 4 : DENOMINATOR }));
  const points = [0, ...cuts.map((c) => (zeros ? (c * DENOMINATOR) / 4 : c)).sort((a, b) => a - b), DENOMINATOR];
  return points.slice(1).map((p, j) => (p - points[j]) / DENOMINATOR);
}

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

/** A row-stochastic [V, V] table of a kind that stresses a different path, drawn by key (`maxVocab`: the largest V it may shrink from). */
export function drawTable(draw: Draw, name: string, vocab: number, kind: TableKind, maxVocab = vocab): PlainTensor {
  const rows = (zeros: boolean) => Array.from({ length: vocab }, (_, i) => drawRow(draw, `${name}[${i}]`, vocab, zeros));
  switch (kind) {
    case 'general':
      return tableOf(rows(false));
    case 'with-zeros':
      return tableOf(rows(true));
    case 'one-hot-row': {
      const index = (what: string) => draw(`${name} one-hot ${what}`, fc.integer({ min: 0, max: maxVocab - 1 })) % vocab;
      const [row, word] = [index('row'), index('word')];
      return tableOf(rows(false).map((r, i) => (i === row ? r.map((_, j) => (j === word ? 1 : 0)) : r)));
    }
    case 'near-uniform':
      return tableOf(Array.from({ length: vocab }, () => nearUniformRow(vocab)));
  }
}

/** A table of a kind drawn too. */
export function drawTableCase(draw: Draw, name: string, vocab: number, maxVocab = vocab): BigramTable {
  const kind = draw(`${name} kind`, fc.constantFrom(...TABLE_KINDS));
  return { kind, T: drawTable(draw, name, vocab, kind, maxVocab) };
}

export const bigramTableOfKind = (vocab: number, kind: TableKind): fc.Arbitrary<PlainTensor> => sized({}, (_, draw) => drawTable(draw, 'T', vocab, kind));

export const bigramTableCase = (vocab: number): fc.Arbitrary<BigramTable> => sized({}, (_, draw) => drawTableCase(draw, 'T', vocab));

export const bigramTable = (vocab: number): fc.Arbitrary<PlainTensor> => bigramTableCase(vocab).map(({ T }) => T);

export interface BigramCase {
  V: number;
  kind: TableKind;
  T: PlainTensor;
  seq: PlainTensor;
}

/** A vocabulary size, a table and a sequence; V and the sequence's length shrink first, keeping the table's and the words' draws. */
export function bigramCase({ maxVocab = 30, ...lengths }: LengthOptions & { maxVocab?: number } = {}): fc.Arbitrary<BigramCase> {
  return sized({ V: vocabSize({ max: maxVocab }), N: sequenceLength(lengths) }, ({ V, N }, draw) => ({
    V,
    ...drawTableCase(draw, 'T', V, maxVocab),
    seq: oneHot(drawWords(draw, 'seq', N, V, maxVocab), V),
  }));
}

export interface BigramTablesCase {
  V: number;
  /** `tables` tables of one size, each of its own kind. */
  tables: PlainTensor[];
  seq: PlainTensor;
}

/** One sequence and several tables over one vocabulary (two tables in a row must not share state). */
export function bigramTablesCase({ maxVocab = 30, tables = 2, ...lengths }: LengthOptions & { maxVocab?: number; tables?: number } = {}): fc.Arbitrary<BigramTablesCase> {
  return sized({ V: vocabSize({ max: maxVocab }), N: sequenceLength(lengths) }, ({ V, N }, draw) => ({
    V,
    tables: Array.from({ length: tables }, (_, i) => drawTableCase(draw, `T${i + 1}`, V, maxVocab).T),
    seq: oneHot(drawWords(draw, 'seq', N, V, maxVocab), V),
  }));
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
