/**
 * Cases for the lab's graders that the general generators do not shape: the two hand-written steps
 * (with a non-zero h0), the automatic_diff gradient with its kink drawn on purpose, bigram sequence
 * pairs for the concatenation law, and the optional task's scalar RNN as tensors.
 */
import { drawArray, drawTensor, dyadic, fc, fromFunction, kinky, size, sized, vocabSize, type Draw, type PlainTensor } from 'propgrade/spec';
import { drawTableCase, drawWords, oneHot, sequenceLength, type LengthOptions } from './bigram.ts';
import { hiddenScale, inputs, rnnCase, scaledBy, weights, type RnnCase, type ScalarRnnCase } from './rnn.ts';

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
export const startState = (dim: number): fc.Arbitrary<PlainTensor> => sized({}, (_, draw) => drawStartState(draw, 'h0', dim));

/** A starting state of `dim` entries drawn by key: its kind first, then the entries of that kind. */
export function drawStartState(draw: Draw, name: string, dim: number): PlainTensor {
  const kind = draw(`${name} kind`, fc.constantFrom(...START_KINDS));
  switch (kind) {
    case 'zero':
      return fromFunction([dim], () => 0);
    case 'non-negative':
      return drawTensor(draw, `${name} non-negative`, [dim], kinky({ min: 0, max: 2, denominator: 8 }));
    case 'signed':
      return drawTensor(draw, `${name} signed`, [dim], kinky({ min: -2, max: 2, denominator: 8 }));
    case 'cancelling': {
      // Pair p holds +a, -a; an odd size keeps its last entry 0: every entry still has its opposite.
      const pairs = drawArray(draw, `${name} pair`, Math.floor(dim / 2), dyadic({ min: 1 / 8, max: 2, denominator: 8 }));
      return fromFunction([dim], (i) => (i >= 2 * pairs.length ? 0 : (i % 2 === 0 ? 1 : -1) * pairs[i >> 1]!));
    }
  }
}

/** Two steps cannot blow up: U and V are scaled down like a long RNN's half of the time only, so that pre-activations above 1 come often. */
export const twoStepCase = ({ maxDim = 32 } = {}): fc.Arbitrary<TwoStepCase> =>
  sized({ dim: size(maxDim) }, ({ dim }, draw) => {
    const scale = draw('scaled', fc.boolean()) ? hiddenScale(dim) : 1;
    return {
      dim,
      U: scaledBy(drawTensor(draw, 'U', [dim, dim], weights()), scale),
      V: scaledBy(drawTensor(draw, 'V', [dim, dim], weights()), scale),
      W: drawTensor(draw, 'W', [dim, dim], weights()),
      x1: drawTensor(draw, 'x1', [dim], inputs()),
      x2: drawTensor(draw, 'x2', [dim], inputs()),
      h0: drawStartState(draw, 'h0', dim),
    };
  });

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
 * How row 0 of U and V is drawn: as drawn; zeroed (the kink); times 8 (large); or U's row 0 zeroed
 * alone, so that V h0 alone decides relu's branch (a V h0 dropped or mistaken shows whenever h0 is
 * not zero), which takes half the share of "as drawn" (the large kind has the same signs as it).
 */
const ROW0 = fc.oneof(
  { withCrossShrink: true }, // shrinks toward "as drawn", as constantFrom would
  { weight: 1, arbitrary: fc.constant('as drawn' as const) },
  { weight: 1, arbitrary: fc.constant('V h0 decides' as const) },
  { weight: 2, arbitrary: fc.constant('at the kink' as const) },
  { weight: 2, arbitrary: fc.constant('large' as const) },
);

/**
 * h1[0]'s pre-activation sits exactly at relu's kink (row 0 of U and V zeroed) a third of the
 * time, is large (row 0 of U and V times 8 or more, so that |z| > 1 wherever z is not 0: a relu capped at 1 shows) another
 * third, and is V h0 alone (U's row 0 zeroed) a sixth (ROW0).
 */
export const gradCase = ({ maxDim = 32 } = {}): fc.Arbitrary<GradCase> =>
  sized({ dim: size(maxDim) }, ({ dim }, draw) => {
    const U = scaledBy(drawTensor(draw, 'U', [dim, dim], weights()), hiddenScale(dim));
    const V = scaledBy(drawTensor(draw, 'V', [dim, dim], weights()), hiddenScale(dim));
    const x1 = drawTensor(draw, 'x1', [dim], inputs());
    const h0 = drawStartState(draw, 'h0', dim);
    const row0 = draw('row0', ROW0);
    const scaleRow0 = (M: PlainTensor, factor: number) => fromFunction(M.shape, (i) => (i < dim ? factor * M.data[i]! + 0 : M.data[i]!));
    if (row0 === 'at the kink') return { dim, U: scaleRow0(U, 0), V: scaleRow0(V, 0), x1, h0 };
    if (row0 === 'V h0 decides') return { dim, U: scaleRow0(U, 0), V, x1, h0 };
    if (row0 !== 'large') return { dim, U, V, x1, h0 };
    // Times 8, and by further powers of two (exact on the grid) until |z| > 1 wherever z is not 0.
    const z = Math.abs(firstPreActivation({ dim, U, V, x1, h0 }));
    const factor = z === 0 ? 8 : Math.max(8, 2 ** (Math.floor(-Math.log2(z)) + 1));
    return { dim, U: scaleRow0(U, factor), V: scaleRow0(V, factor), x1, h0 };
  });

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
  sized({ V: vocabSize({ max: maxVocab }), Ns: sequenceLength(lengths), Nt: sequenceLength(lengths) }, ({ V, Ns, Nt }, draw) => ({
    T: drawTableCase(draw, 'T', V, maxVocab).T,
    s: oneHot(drawWords(draw, 's', Ns, V, maxVocab), V),
    t: oneHot(drawWords(draw, 't', Nt, V, maxVocab), V),
  }));

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
