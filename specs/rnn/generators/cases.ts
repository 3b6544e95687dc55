/**
 * Cases for the lab's graders that the general generators do not shape: the two hand-written steps
 * (with a non-zero h0), the automatic_diff gradient with its kink drawn on purpose, bigram sequence
 * pairs for the concatenation law, and the optional task's scalar RNN as tensors.
 */
import { dyadic, fc, fromFunction, kinky, matrix, size, vector, vocabSize, type PlainTensor } from 'propgrade/spec';
import { bigramTable, oneHotSequence, type LengthOptions } from './bigram.ts';
import { hiddenScale, inputs, rnnCase, weights, type RnnCase, type ScalarRnnCase } from './rnn.ts';

export interface TwoStepCase {
  dim: number;
  U: PlainTensor;
  V: PlainTensor;
  W: PlainTensor;
  x1: PlainTensor;
  x2: PlainTensor;
  /** Not always zero: a step that ignores h0 must show. */
  h0: PlainTensor;
}

export const START_KINDS = ['zero', 'non-negative', 'signed', 'cancelling'] as const;

/**
 * A starting state h0 of a kind a bug can hide in: zero, non-negative (what relu leaves), signed,
 * and cancelling (pairs +a, -a: non-zero entries whose sum is exactly 0, so code that tests
 * `sum(h0) == 0` for "no state" shows).
 */
export function startState(dim: number): fc.Arbitrary<PlainTensor> {
  const entries = kinky({ min: -2, max: 2, denominator: 8 });
  return fc.oneof(
    vector(dim, fc.constant(0)),
    vector(dim, kinky({ min: 0, max: 2, denominator: 8 })),
    vector(dim, entries),
    vector(dim, dyadic({ min: 1 / 8, max: 2, denominator: 8 })).map((h) =>
      // An odd size keeps its last entry 0: every entry still has its opposite.
      fromFunction([dim], (i) => (i === dim - 1 && dim % 2 === 1 ? 0 : (i % 2 === 0 ? 1 : -1) * h.data[i - (i % 2)]!)),
    ),
  );
}

/** Two steps cannot blow up: U and V are scaled down like a long RNN's half of the time only, so that pre-activations above 1 come often. */
export const twoStepCase = ({ maxDim = 32 } = {}): fc.Arbitrary<TwoStepCase> =>
  fc.tuple(size(maxDim), fc.boolean()).chain(([dim, scaled]) =>
    fc.record({
      dim: fc.constant(dim),
      U: matrix(dim, dim, weights(scaled ? hiddenScale(dim) : 1)),
      V: matrix(dim, dim, weights(scaled ? hiddenScale(dim) : 1)),
      W: matrix(dim, dim, weights()),
      x1: vector(dim, inputs()),
      x2: vector(dim, inputs()),
      h0: startState(dim),
    }),
  );

/**
 * forward's cases: half generators/rnn.ts's long bounded sequences, half short ones (N <= 8) with U
 * and V left unscaled, where pre-activations above 1 are common (a relu capped at 1 shows).
 */
export const forwardCase = ({ maxDim = 32, maxN = 64 } = {}): fc.Arbitrary<RnnCase> =>
  fc.oneof(rnnCase({ maxDim, maxN }), rnnCase({ maxDim, maxN: Math.min(maxN, 8), scaled: false }));

export interface GradCase {
  dim: number;
  U: PlainTensor;
  V: PlainTensor;
  x1: PlainTensor;
  h0: PlainTensor;
}

/**
 * h1[0]'s pre-activation sits exactly at relu's kink (row 0 of U and V zeroed) a quarter of the
 * time, and is large (row 0 of U and V times 8, so |z| > 1 often: a relu capped at 1 shows) another quarter.
 */
export const gradCase = ({ maxDim = 32 } = {}): fc.Arbitrary<GradCase> =>
  size(maxDim).chain((dim) =>
    fc
      .record({
        U: matrix(dim, dim, weights(hiddenScale(dim))),
        V: matrix(dim, dim, weights(hiddenScale(dim))),
        x1: vector(dim, inputs()),
        h0: startState(dim),
        row0: fc.constantFrom('as drawn', 'at the kink', 'large'),
      })
      .map(({ U, V, row0, ...vectors }) => {
        const scaleRow0 = (M: PlainTensor, factor: number) => fromFunction(M.shape, (i) => (i < dim ? factor * M.data[i]! + 0 : M.data[i]!));
        if (row0 === 'at the kink') return { dim, U: scaleRow0(U, 0), V: scaleRow0(V, 0), ...vectors };
        return row0 === 'large' ? { dim, U: scaleRow0(U, 8), V: scaleRow0(V, 8), ...vectors } : { dim, U, V, ...vectors };
      }),
  );

/** Row 0 of U x1 + V h0: the pre-activation of h1[0]. */
export function firstPreActivation({ dim, U, V, x1, h0 }: GradCase): number {
  let z = 0;
  for (let j = 0; j < dim; j++) z += U.data[j]! * x1.data[j]! + V.data[j]! * h0.data[j]!;
  return z;
}

export interface BigramPairCase {
  T: PlainTensor;
  s: PlainTensor;
  t: PlainTensor;
}

/** Two sequences over one vocabulary and table: for P(s ++ t) = P(s) T[last s, first t] P(t). */
export const bigramPairCase = ({ maxVocab = 30, ...lengths }: LengthOptions & { maxVocab?: number } = {}): fc.Arbitrary<BigramPairCase> =>
  vocabSize({ max: maxVocab }).chain((V) => fc.record({ T: bigramTable(V), s: oneHotSequence(V, lengths), t: oneHotSequence(V, lengths) }));

/** Two sequences joined: [N1 + N2, V]. */
export const concatRows = (s: PlainTensor, t: PlainTensor): PlainTensor => ({
  shape: [s.shape[0]! + t.shape[0]!, s.shape[1]!],
  data: Float64Array.of(...s.data, ...t.data),
});

/** The optional task's arguments as the template declares them: U, V, W, h0 of shape [1], x of shape [N + 1]. */
export interface ScalarRnnTensors {
  U: PlainTensor;
  V: PlainTensor;
  W: PlainTensor;
  x: PlainTensor;
  h0: PlainTensor;
}

export const asTensors = (c: ScalarRnnCase): ScalarRnnTensors => {
  const one = (v: number) => ({ shape: [1], data: Float64Array.of(v) });
  return { U: one(c.U), V: one(c.V), W: one(c.W), x: { shape: [c.x.length], data: Float64Array.from(c.x) }, h0: one(c.h0) };
};
