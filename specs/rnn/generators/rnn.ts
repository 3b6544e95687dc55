/**
 * The lab's RNN cases: h_t = relu(U x_t + V h_{t-1}), o_t = W h_t. Values lie on the dyadic grid
 * with zeros pinned in, so that a pre-activation lands exactly on relu's kink in a measured share
 * of cases; U and V are scaled by a power of two near 1/dim so the hidden state stays bounded over
 * long sequences (a float32 oracle overflows where float64 does not).
 */
import { drawArray, drawTensor, fc, kinky, labelSize, plainZeros as zeros, shrinkingAsInteger, size, sized, type Draw, type PlainTensor } from 'propgrade/spec';

/** An RNN's hidden size `dim` (1..maxDim) and sequence length `N` (1..maxN). */
export const rnnShape = ({ maxDim = 32, maxN = 64 }: { maxDim?: number; maxN?: number } = {}) => fc.record({ dim: size(maxDim), N: size(maxN) });

export const labelRnnShape = ({ dim, N }: { dim: number; N: number }, { maxDim = 32, maxN = 64 } = {}): string[] => [
  labelSize('dim', dim, maxDim),
  labelSize('N', N, maxN),
];

export interface RnnCase {
  dim: number;
  N: number;
  U: PlainTensor;
  V: PlainTensor;
  W: PlainTensor;
  /** [N, dim] */
  input: PlainTensor;
  /** zeros(dim) */
  h0: PlainTensor;
}

export interface RnnCaseOptions {
  maxDim?: number;
  maxN?: number;
  /** Share of grid values drawn exactly 0 (default 1/4). */
  kinkShare?: number;
  /** U and V scaled by `hiddenScale(dim)` (default true); unscaled, pre-activations above 1 come often. */
  scaled?: boolean;
}

/** 2^-ceil(log2 dim): keeps U x + V h of the order of one entry (sum_j |V_ij| <= 1). */
export const hiddenScale = (dim: number) => 2 ** -Math.ceil(Math.log2(dim));

/** Weights: multiples of 1/8 in [-1, 1] with 0 pinned in, times `scale`. */
export const weights = (scale = 1, kinkShare = 0.25) =>
  kinky({ min: -1, max: 1, denominator: 8, kinkShare }).map((x) => x * scale + 0);

/** Inputs: multiples of 1/8 in [-2, 2] with 0 pinned in. */
export const inputs = (kinkShare = 0.25) => kinky({ min: -2, max: 2, denominator: 8, kinkShare });

export function rnnCase({ maxDim = 32, maxN = 64, ...options }: RnnCaseOptions = {}): fc.Arbitrary<RnnCase> {
  return rnnCaseOf({ dim: size(maxDim), N: size(maxN) }, options);
}

/** `t` times `scale` (+ 0 turns -0 into 0). */
export const scaledBy = (t: PlainTensor, scale: number): PlainTensor => (scale === 1 ? t : { shape: t.shape, data: t.data.map((x) => x * scale + 0) });

/**
 * An RNN case of the sizes drawn: dim and N shrink first, keeping the weights and inputs drawn
 * (a smaller case is the larger one's top-left block and first steps; generators/sized.ts).
 */
export function rnnCaseOf(sizes: { dim: fc.Arbitrary<number>; N: fc.Arbitrary<number> }, options: RnnCaseOptions = {}): fc.Arbitrary<RnnCase> {
  return sized(sizes, (shape, draw) => drawRnnCase(draw, shape, options));
}

/** The weights and inputs of an RNN case of this shape, drawn by key (for a case built with more around it). */
export function drawRnnCase(draw: Draw, { dim, N }: { dim: number; N: number }, { kinkShare = 0.25, scaled = true }: RnnCaseOptions = {}): RnnCase {
  const scale = scaled ? hiddenScale(dim) : 1;
  return {
    dim,
    N,
    U: scaledBy(drawTensor(draw, 'U', [dim, dim], weights(1, kinkShare)), scale),
    V: scaledBy(drawTensor(draw, 'V', [dim, dim], weights(1, kinkShare)), scale),
    W: drawTensor(draw, 'W', [dim, dim], weights(1, kinkShare)),
    input: drawTensor(draw, 'input', [N, dim], inputs(kinkShare)),
    h0: zeros([dim]),
  };
}

/**
 * Cases whose length is long half of the time (N past 32, up to maxN): a state reset every k steps
 * or a loop cut after 32 shows. N still shrinks toward 1.
 */
export function longRnnCase({ maxDim = 8, maxN = 80 }: { maxDim?: number; maxN?: number } = {}): fc.Arbitrary<RnnCase> {
  const N = shrinkingAsInteger(fc.oneof(size(maxN), fc.integer({ min: Math.min(33, maxN), max: maxN })), { min: 1, max: maxN });
  return rnnCaseOf({ dim: size(maxDim), N });
}

/** Every pre-activation U x_t + V h_{t-1} of the case, in float64, step by step. */
export function preActivations({ dim, N, U, V, input, h0 }: Pick<RnnCase, 'dim' | 'N' | 'U' | 'V' | 'input' | 'h0'>): Float64Array[] {
  const steps: Float64Array[] = [];
  let h = h0.data;
  for (let t = 0; t < N; t++) {
    const a = new Float64Array(dim);
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++) a[i] += U.data[i * dim + j] * input.data[t * dim + j] + V.data[i * dim + j] * h[j];
    steps.push(a);
    h = a.map((v) => Math.max(v, 0));
  }
  return steps;
}

/** True when some pre-activation is exactly 0: relu's gradient is decided at its kink. */
export const hitsKink = (c: RnnCase) => preActivations(c).some((a) => a.includes(0));

export const labelRnnCase = (c: RnnCase, shapeOptions?: { maxDim?: number; maxN?: number }): string[] => [
  ...labelRnnShape(c, shapeOptions),
  hitsKink(c) ? 'exact-kink' : 'no-kink',
];

/** The optional task's scalar RNN: x = [x_1 .. x_{N+1}], relu, L = sum_t (x_{t+1} - o_t)^2. */
export interface ScalarRnnCase {
  U: number;
  V: number;
  W: number;
  x: number[];
  h0: number;
}

export function scalarRnnCase({ maxN = 16, kinkShare = 0.25 }: { maxN?: number; kinkShare?: number } = {}): fc.Arbitrary<ScalarRnnCase> {
  const value = weights(1, kinkShare);
  const entry = (name: string) => (draw: Draw) => draw(name, value, { entry: true });
  return sized({ N: size(maxN) }, ({ N }, draw) => ({
    U: entry('U')(draw),
    V: entry('V')(draw),
    W: entry('W')(draw),
    x: drawArray(draw, 'x', N + 1, inputs(kinkShare)),
    h0: entry('h0')(draw),
  }));
}

/** The scalar pre-activations U x_t + V h_{t-1}, t = 1..N. */
export function scalarPreActivations({ U, V, x, h0 }: ScalarRnnCase): number[] {
  const out: number[] = [];
  let h = h0;
  for (let t = 0; t + 1 < x.length; t++) {
    const a = U * x[t] + V * h;
    out.push(a);
    h = Math.max(a, 0);
  }
  return out;
}

export const labelScalarRnnCase = (c: ScalarRnnCase, maxN = 16): string[] => [
  labelSize('N', c.x.length - 1, maxN),
  scalarPreActivations(c).includes(0) ? 'exact-kink' : 'no-kink',
];
