/**
 * The equivalence search's small cases for this lab, exhaustive where they can be: every one-hot
 * sequence up to length 5 over 2 and 3 words, and small RNNs (dim 1 on a dyadic grid with its kinks,
 * dim 2 on a set of asymmetric matrices). The bigram RNNs are run by the lab's driver; gradients at
 * a kink are judged by the subgradient rule, as the grader does.
 */
import { plain, type ExportProbes, type PlainTensor, type Probe } from 'propgrade/spec';
import { scalarPreActivations } from '../generators/rnn.ts';
import { oneSidedGradients } from '../tasks/automatic_diff.ts';
import { admissibleGradU } from '../tasks/bptt_general.hidden.ts';

const GRID = [-1, -0.5, 0, 0.5, 1];
const MATRICES_2 = [
  [[0, 0], [0, 0]],
  [[1, 0], [0, 1]],
  [[0, 1], [0, 0]],
  [[0, 0], [1, 0]],
  [[0.5, -1], [1, 0.5]],
  [[-1, 0], [0, -1]],
].map(plain);
const VECTORS_2 = [[0, 0], [1, 0], [0, 1], [1, -1], [0.5, 1]].map(plain);
const scalarTensor = (v: number) => plain([v]);

/** Every tuple of `length` items drawn from `items`. */
function* tuples<T>(items: T[], length: number): Generator<T[]> {
  if (length === 0) return yield [];
  for (const head of items) for (const rest of tuples(items, length - 1)) yield [head, ...rest];
}

/** The small matrices and vectors of dim 1 (the grid) and dim 2. */
const smallNetworks = () => [
  { dim: 1, matrices: GRID.map((v) => plain([[v]])), vectors: GRID.map((v) => plain([v])) },
  { dim: 2, matrices: MATRICES_2, vectors: VECTORS_2 },
];

/** One-hot rows of the word sequences up to length 5. */
function* sequences(vocabulary: number): Generator<PlainTensor> {
  for (let length = 1; length <= 5; length++) {
    for (const words of tuples([...Array(vocabulary).keys()], length)) yield plain(words.map((w) => Array.from({ length: vocabulary }, (_, i) => (i === w ? 1 : 0))));
  }
}

/** Tables with zeros, asymmetric, over 2 and 3 words. */
const TABLES = [
  [[0.75, 0.25], [0.4, 0.6]],
  [[1, 0], [0.5, 0.5]],
  [[0.5, 0.25, 0.25], [0, 1, 0], [0.125, 0.375, 0.5]],
].map(plain);

const SEQUENCES_ON_TABLES = 'every one-hot sequence up to length 5 over 2 and 3 words, on three tables (with zeros, asymmetric)';

export const probes: Record<string, ExportProbes> = {
  forwardByHand: {
    covers: 'every U, V, W, x1, x2, h0 from the dim-1 grid {-1, -1/2, 0, 1/2, 1} and from six dim-2 matrices and five vectors',
    *cases(): Iterable<Probe> {
      for (const { matrices, vectors } of smallNetworks())
        for (const [U, V, W] of tuples(matrices, 3)) for (const [x1, x2, h0] of tuples(vectors, 3)) yield { args: [U!, V!, W!, x1!, x2!, h0!] };
    },
  },
  forward: {
    covers: 'every U, V, W on those grids with every input sequence of 1 to 3 nonzero rows',
    *cases() {
      for (const { dim, matrices, vectors } of smallNetworks()) {
        const inputs = vectors.filter((v) => v.data.some((x) => x !== 0)).slice(0, 3);
        for (const [U, V, W] of tuples(matrices, 3))
          for (let n = 1; n <= 3; n++) for (const rows of tuples(inputs, n)) yield { args: [plain(rows.map((r) => Array.from(r.data))), dim, U!, V!, W!] };
      }
    },
  },
  sequenceProbability: {
    covers: SEQUENCES_ON_TABLES,
    *cases() {
      for (const T of TABLES) for (const seq of sequences(T.shape[0]!)) yield { args: [seq, T] };
    },
  },
  tinyBigramRNN: {
    covers: 'every one-hot sequence up to length 5 over the 2 words',
    *cases() {
      for (const seq of sequences(2)) yield { args: [seq], driver: 'runBigramRNN' };
    },
  },
  bigramRNN: {
    covers: SEQUENCES_ON_TABLES,
    *cases() {
      for (const T of TABLES) for (const seq of sequences(T.shape[0]!)) yield { args: [seq, T], driver: 'runBigramRNN' };
    },
  },
  gradH11WrtU: {
    covers: 'every U, V, x1, h0 from the dim-1 grid and the dim-2 set, kinks included, judged by the subgradient rule',
    *cases() {
      for (const { dim, matrices, vectors } of smallNetworks())
        for (const [U, V] of tuples(matrices, 2))
          for (const [x1, h0] of tuples(vectors, 2)) yield { args: [U!, V!, x1!, h0!], bounds: oneSidedGradients({ dim, U: U!, V: V!, x1: x1!, h0: h0! }) };
    },
  },
  bpttGradU: {
    covers: 'every scalar U, V, W, h0 in {-1, -1/2, 0, 1/2, 1} with x of length 2 to 4, kinks included, judged by the subgradient rule',
    *cases() {
      for (const [U, V, W, h0] of tuples(GRID, 4))
        for (let n = 2; n <= 4; n++)
          for (const x of tuples(n < 4 ? [-1, 0, 1] : [0, 1], n)) {
            const c = { U: U!, V: V!, W: W!, x, h0: h0! };
            const bounds = scalarPreActivations(c).includes(0) ? admissibleGradU(c) : undefined;
            yield { args: [scalarTensor(U!), scalarTensor(V!), scalarTensor(W!), plain(x), scalarTensor(h0!)], bounds };
          }
    },
  },
};
