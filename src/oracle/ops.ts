/**
 * THE table: every engine op beside its TensorFlow.js counterpart, so any engine computation (a
 * Graph, graph.ts) can be replayed in tfjs. Each row also carries what the float32 tolerance needs
 * (replay.ts explains the calculus):
 *   magnitude  a nonnegative op over the inputs' magnitude bounds M whose value bounds the scale of
 *              the result's rounding error and whose gradient bounds the gradient's;
 *   ulps       rounding steps the op adds (n = inner or reduced length);
 *   quantum    the result's grid step when the op is exact on a dyadic grid (undefined: inexact);
 *   gradStep   what the op multiplies the gradient's grid step by on the way back;
 *   kinks      distances of the inputs to the op's kinks, to spot branch decisions that float32
 *              rounding could flip.
 * Where tfjs differs from PyTorch (FIELD-NOTES), the row says so in `divergence` and builds the op
 * another way so the comparison keeps those points instead of skipping them.
 */
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import * as engine from '../autograd/index.ts';
import { broadcastIndex, broadcastShape, reductionGroups, sizeOf, type Shape } from '../autograd/shape.ts';
import type { Tf } from './backend.ts';
import { UNIT_ROUNDOFF } from './compare.ts';
import type { Attrs, OpName } from './graph.ts';

export type Operand<T> = T | number;

/** What the replay knows of an op's inputs (oracle-side values) when it builds magnitudes and kinks. */
export interface OpValues {
  attrs: Attrs;
  /** Input values (numbers stay numbers): the oracle's, or the engine's when its decisions are read. */
  x: Operand<Float32Array | Float64Array>[];
  /** Input shapes ([] for a number). */
  shapes: Shape[];
  /** Error bounds of the inputs, per element (0 for numbers). */
  err: Float64Array[];
  /** The result's value and shape. */
  y: Float32Array | Float64Array;
  shape: Shape;
}

/** The same with tfjs, to build magnitudes in. */
export interface OpContext extends OpValues {
  tf: Tf;
}

export interface Kink {
  /** Signed distance of the input to the kink, for each decision the op makes: its sign is the branch. */
  gap: number;
  /** How far float32 rounding may have moved the input. */
  err: number;
}

export interface OpRule {
  engine(args: Operand<engine.Tensor>[], attrs: Attrs): engine.Tensor;
  tf(tf: Tf, args: Operand<TfTensor>[], attrs: Attrs, shapes: Shape[]): TfTensor;
  divergence?: string;
  magnitude(m: Operand<TfTensor>[], ctx: OpContext): TfTensor;
  ulps(K: number[], n: number, attrs: Attrs): number;
  quantum?(q: number[], n: number, attrs: Attrs): number | undefined;
  gradStep?(q: number[], n: number, ctx: OpValues): number;
  kinks?(ctx: OpValues): Kink[];
  /** Points kept out of the comparison (the `divergence` says why): a reason when ctx has one. */
  outside?(ctx: OpValues): string | undefined;
}

const F32 = (xs: ArrayLike<number>) => Float32Array.from(xs);
const constant = (tf: Tf, values: ArrayLike<number>, shape: Shape) => tf.tensor(F32(values), shape);
const abs = (v: Operand<TfTensor>, tf: Tf): TfTensor => (typeof v === 'number' ? tf.scalar(Math.abs(v)) : v);
/** A copy off the tape: tfjs has no gradient for comparisons, so masks are built from these. */
const detach = (tf: Tf, t: TfTensor) => tf.tensor(t.dataSync(), t.shape, t.dtype);
/** An input's values and errors broadcast to the result's shape. */
function spread(ctx: OpValues, i: number): { v: Float64Array; e: Float64Array } {
  const x = ctx.x[i]!;
  if (typeof x === 'number') return { v: new Float64Array(sizeOf(ctx.shape)).fill(x), e: new Float64Array(sizeOf(ctx.shape)) };
  const index = broadcastIndex(ctx.shapes[i]!, ctx.shape);
  return { v: Float64Array.from(index, (j) => x[j]!), e: Float64Array.from(index, (j) => ctx.err[i]![j]!) };
}

/** The grid step of one number: the largest power of two it is a whole multiple of (Infinity for 0). */
export function quantumOf(x: number): number | undefined {
  if (x === 0) return Infinity;
  if (!Number.isFinite(x)) return undefined;
  let q = 2 ** Math.floor(Math.log2(Math.abs(x)));
  while (!Number.isInteger(x / q)) q /= 2;
  return q;
}

const minQuantum = (q: number[]) => Math.min(...q);

// ---- building blocks of the table ----------------------------------------------------------

/** relu and abs change branch where their input crosses 0. */
const kinkAtZero = (ctx: OpValues): Kink[] => Array.from(ctx.x[0] as Float32Array, (v, j) => ({ gap: v, err: ctx.err[0]![j]! }));

/**
 * The backward pass takes a slope f'(x) at an x that is already off by err, so the slope is off
 * by about |f''| err <= c |f'| err / scale. Each gradient has a budget of at least 16u per unit of
 * its magnitude bound (replay: 2 · steps · u, steps >= 8); widening the slope's bound by
 * c err / (scale · 8u) keeps that error inside it, and costs nothing where x is exact.
 */
const BUDGET = 8 * UNIT_ROUNDOFF;
const widened = (slope: number, err: number, scale = 1, c = 2) => slope * (1 + (c * err) / (scale * BUDGET));

/** Ops that pass values through or select among them: the input's magnitude bounds the result's. */
const identityMagnitude = ([m]: Operand<TfTensor>[], { tf }: OpContext) => abs(m!, tf);

/**
 * A smooth unary f: error |f'(x)| err_x plus f's own rounding (8 steps: tfjs's exp/tanh/sigmoid are
 * not correctly rounded); |f''| <= 2|f'| for all three. `slopeFloor` covers a slope that tfjs
 * computes from the rounded result (1 - y^2, y (1 - y)): a few u even where the slope is tiny.
 */
function smooth(name: 'exp' | 'tanh' | 'sigmoid', derivative: (y: number) => number, slopeFloor = 0): OpRule {
  return {
    engine: ([x]) => engine[name](x as engine.Tensor),
    tf: (tf, [x]) => tf[name](x as TfTensor),
    magnitude: ([m], { tf, y, err, shape }) => {
      const slope = constant(tf, Array.from(y, (v, j) => widened(Math.abs(derivative(v)), err[0]![j]!) + slopeFloor), shape);
      return tf.add(tf.mul(slope, m as TfTensor), constant(tf, Array.from(y, Math.abs), shape));
    },
    ulps: ([K]) => K! + 8,
  };
}

const elementwise = (name: 'add' | 'sub' | 'mul' | 'div') => (args: Operand<engine.Tensor>[]) =>
  engine[name](args[0] as engine.Tensor, args[1]!);

/** maximum/minimum with PyTorch's tie rule, from where(): tfjs gives a tie 1 / 0, PyTorch 0.5 / 0.5. */
function extremum(name: 'maximum' | 'minimum'): OpRule {
  const wins = name === 'maximum' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  return {
    engine: ([a, b]) => engine[name](a as engine.Tensor, b!),
    divergence: `${name} ties: tfjs sends the whole gradient to the first operand, PyTorch splits it 0.5 / 0.5; built as where(a wins, a, where(b wins, b, (a + b) / 2))`,
    tf: (tf, [a, b], _attrs, shapes) => {
      const shape = broadcastShape(name, shapes[0]!, shapes[1]!);
      const A = tf.broadcastTo(typeof a === 'number' ? tf.scalar(a) : a!, shape);
      const B = tf.broadcastTo(typeof b === 'number' ? tf.scalar(b) : b!, shape);
      const [a0, b0] = [detach(tf, A), detach(tf, B)];
      const [aWins, bWins] = name === 'maximum' ? [tf.greater(a0, b0), tf.less(a0, b0)] : [tf.less(a0, b0), tf.greater(a0, b0)];
      return tf.where(aWins, A, tf.where(bWins, B, tf.mul(tf.add(A, B), 0.5)));
    },
    magnitude: (m, ctx) => {
      const a = spread(ctx, 0).v, b = spread(ctx, 1).v;
      // An operand that lost gets nothing, a tie half, otherwise (it won, or a NaN is involved) all.
      const share = (i: 0 | 1) =>
        constant(ctx.tf, Array.from(a, (ai, j) => ((i === 0 ? wins(b[j]!, ai) : wins(ai, b[j]!)) ? 0 : ai === b[j] ? 0.5 : 1)), ctx.shape);
      return ctx.tf.add(ctx.tf.mul(share(0), abs(m[0]!, ctx.tf)), ctx.tf.mul(share(1), abs(m[1]!, ctx.tf)));
    },
    ulps: (K) => Math.max(...K) + 1,
    quantum: minQuantum,
    gradStep: () => 0.5,
    kinks: (ctx) => {
      const a = spread(ctx, 0), b = spread(ctx, 1);
      return Array.from(a.v, (ai, j) => ({ gap: ai - b.v[j]!, err: a.e[j]! + b.e[j]! }));
    },
  };
}

/** Matrix products of 1-D and 2-D operands, all through tf.matMul (one accumulation order). */
function tfMatmul(tf: Tf, a: TfTensor, b: TfTensor): TfTensor {
  const A = a.rank === 1 ? tf.reshape(a, [1, a.shape[0]!]) : a;
  const B = b.rank === 1 ? tf.reshape(b, [b.shape[0]!, 1]) : b;
  const out = [...(a.rank === 2 ? [a.shape[0]!] : []), ...(b.rank === 2 ? [b.shape[1]!] : [])];
  return tf.reshape(tf.matMul(A as TfTensor, B as TfTensor), out);
}

function product(call: (a: engine.Tensor, b: engine.Tensor) => engine.Tensor): OpRule {
  return {
    engine: ([a, b]) => call(a as engine.Tensor, b as engine.Tensor),
    tf: (tf, [a, b]) => tfMatmul(tf, a as TfTensor, b as TfTensor),
    magnitude: ([a, b], { tf }) => tfMatmul(tf, a as TfTensor, b as TfTensor),
    ulps: ([Ka, Kb], k) => Ka! + Kb! + k + 2,
    quantum: ([qa, qb]) => qa! * qb!,
    gradStep: (q) => Math.min(1, ...q),
  };
}

type Reduction = 'sum' | 'mean' | 'prod';
function reduction(name: Reduction, ulps: OpRule['ulps'], quantum: OpRule['quantum'], gradStep: OpRule['gradStep']): OpRule {
  return {
    engine: ([x], { dim }) => engine[name](x as engine.Tensor, dim),
    tf: (tf, [x], { dim }) => tf[name](x as TfTensor, axis(x as TfTensor, dim)),
    magnitude: ([m], { tf, attrs }) => tf[name](m as TfTensor, axis(m as TfTensor, attrs.dim)),
    ulps,
    quantum,
    gradStep,
  };
}

/**
 * tfjs takes negative axes, but prod's gradient breaks on them: always pass them counted from 0.
 * A 0-d tensor takes dim 0 or -1 in PyTorch and the engine; tfjs wants no axis there.
 */
const axis = (t: TfTensor, dim: number | undefined) => (t.rank === 0 ? undefined : dim !== undefined && dim < 0 ? dim + t.rank : dim);

const isPowerOfTwo = (n: number) => Number.isInteger(Math.log2(n));

/** The mean of the tied maxima along `dim` (or of all): PyTorch's amax gradient, split evenly. */
function tiedMax(tf: Tf, x: TfTensor, dim: number | undefined): TfTensor {
  const fixed = detach(tf, x);
  const tied = tf.equal(fixed, tf.max(fixed, dim, true));
  const count = tf.sum(tf.cast(tied, 'float32'), dim);
  return tf.div(tf.sum(tf.where(tied, x, tf.zerosLike(x)), dim), count);
}

/** The indices among `indices` where x is largest (all of the tied ones; the NaNs, where there are any). */
function winnersOf(x: ArrayLike<number>, indices: number[]): number[] {
  const top = Math.max(...indices.map((i) => x[i]!));
  return indices.filter((i) => x[i] === top || (Number.isNaN(top) && Number.isNaN(x[i])));
}

/** The flat indices of each group of elements reduced together along `dim` (all of them without). */
export function eachGroup(shape: Shape, dim: number | undefined, visit: (indices: number[]) => void) {
  const { outer, n, inner } = reductionGroups('max', shape, dim);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) visit(Array.from({ length: n }, (_, k) => o * n * inner + k * inner + i));
}

// ---- the table --------------------------------------------------------------------------------

export const OP_TABLE: Record<OpName, OpRule> = {
  neg: {
    engine: ([x]) => engine.neg(x as engine.Tensor),
    tf: (tf, [x]) => tf.neg(x as TfTensor),
    magnitude: identityMagnitude,
    ulps: ([K]) => K!,
    quantum: minQuantum,
  },
  exp: smooth('exp', (y) => y),
  // tfjs takes these slopes from the rounded y: 1 - y^2 and y (1 - y) carry an absolute error of a
  // few u even where the slope itself is tiny (saturation), hence the floor.
  tanh: smooth('tanh', (y) => 1 - y * y, 1 / 8),
  sigmoid: smooth('sigmoid', (y) => y * (1 - y), 1 / 8),
  log: {
    engine: ([x]) => engine.log(x as engine.Tensor),
    tf: (tf, [x]) => tf.log(x as TfTensor),
    // |1/x| err_x, the slope 1/x widened (|f''| = |f'| / |x|), and log's own rounding, absolute near 1.
    magnitude: ([m], { tf, x, y, err, shape }) => {
      const slope = constant(tf, Array.from(x[0] as Float32Array, (v, j) => widened(1 / Math.abs(v), err[0]![j]!, Math.abs(v), 1)), shape);
      return tf.add(tf.mul(slope, m as TfTensor), constant(tf, Array.from(y, (v) => Math.max(Math.abs(v), 1)), shape));
    },
    ulps: ([K]) => K! + 8,
  },
  relu: {
    engine: ([x]) => engine.relu(x as engine.Tensor),
    tf: (tf, [x]) => tf.relu(x as TfTensor),
    magnitude: identityMagnitude,
    ulps: ([K]) => K!,
    quantum: minQuantum,
    kinks: kinkAtZero,
  },
  abs: {
    engine: ([x]) => engine.abs(x as engine.Tensor),
    divergence: "abs'(0): tfjs -1, PyTorch 0; built as x * sign(x), whose tfjs gradient is sign(x) (0 at 0)",
    tf: (tf, [x]) => tf.mul(x as TfTensor, tf.sign(x as TfTensor)),
    magnitude: identityMagnitude,
    ulps: ([K]) => K!,
    quantum: minQuantum,
    kinks: kinkAtZero,
  },
  add: {
    engine: elementwise('add'),
    tf: (tf, [a, b]) => tf.add(a!, b!),
    magnitude: ([a, b], { tf }) => tf.add(abs(a!, tf), abs(b!, tf)),
    ulps: (K) => Math.max(...K) + 1,
    quantum: minQuantum,
  },
  sub: {
    engine: elementwise('sub'),
    tf: (tf, [a, b]) => tf.sub(a!, b!),
    magnitude: ([a, b], { tf }) => tf.add(abs(a!, tf), abs(b!, tf)),
    ulps: (K) => Math.max(...K) + 1,
    quantum: minQuantum,
  },
  mul: {
    engine: elementwise('mul'),
    tf: (tf, [a, b]) => tf.mul(a!, b!),
    magnitude: ([a, b], { tf }) => tf.mul(abs(a!, tf), abs(b!, tf)),
    ulps: ([Ka, Kb]) => Ka! + Kb! + 1,
    quantum: ([qa, qb]) => qa! * qb!,
    gradStep: (q) => Math.min(1, ...q),
  },
  div: {
    engine: elementwise('div'),
    divergence:
      'a zero divisor: both give non-finite gradients, but not the same ones (PyTorch -a/b^2 = NaN at 0/0, tfjs ±Infinity after summing a broadcast); such cases are kept out of the comparison and counted',
    outside: (ctx) => (spread(ctx, 1).v.includes(0) ? 'div by a zero divisor' : undefined),
    tf: (tf, [a, b]) => tf.div(a!, b!),
    // Ma / |b| + |a| Mb / b^2, each slope widened by the error of what it is computed from.
    magnitude: ([ma, mb], ctx) => {
      const { tf, shape } = ctx;
      const a = spread(ctx, 0), b = spread(ctx, 1);
      const slopeA = constant(tf, Array.from(b.v, (v, j) => (1 + b.e[j]! / (Math.abs(v) * BUDGET)) / Math.abs(v)), shape);
      const slopeB = constant(
        tf,
        Array.from(b.v, (v, j) => (Math.abs(a.v[j]!) + (a.e[j]! + (2 * Math.abs(a.v[j]!) * b.e[j]!) / Math.abs(v)) / BUDGET) / (v * v)),
        shape,
      );
      return tf.add(tf.mul(abs(ma!, tf), slopeA), tf.mul(abs(mb!, tf), slopeB));
    },
    ulps: ([Ka, Kb]) => Ka! + Kb! + 2,
  },
  maximum: extremum('maximum'),
  minimum: extremum('minimum'),
  matmul: product(engine.matmul),
  mv: product(engine.mv),
  dot: product(engine.dot),
  T: {
    engine: ([x]) => engine.transpose(x as engine.Tensor),
    tf: (tf, [x]) => ((x as TfTensor).rank === 2 ? tf.transpose(x as TfTensor) : (x as TfTensor)),
    magnitude: ([m], { tf, shapes }) => (shapes[0]!.length === 2 ? tf.transpose(m as TfTensor) : (m as TfTensor)),
    ulps: ([K]) => K!,
    quantum: minQuantum,
  },
  diag: {
    engine: ([v]) => engine.diag(v as engine.Tensor),
    divergence: 'tf.diag has no gradient; built as eye(n) * v (row vector), exact: multiplies by 1 and 0',
    tf: (tf, [v]) => tf.mul(tf.eye((v as TfTensor).shape[0]!), tf.reshape(v as TfTensor, [1, -1])),
    magnitude: ([m], { tf }) => tf.mul(tf.eye((m as TfTensor).shape[0]!), tf.reshape(m as TfTensor, [1, -1])),
    ulps: ([K]) => K!,
    quantum: minQuantum,
  },
  sum: reduction('sum', ([K], n) => K! + n + 2, minQuantum, () => 1),
  mean: reduction(
    'mean',
    ([K], n) => K! + n + 3,
    ([q], n) => (isPowerOfTwo(n) ? q! / n : undefined),
    (_q, n) => (isPowerOfTwo(n) ? 1 / n : 0),
  ),
  prod: reduction('prod', ([K], n) => n * K! + n + 2, ([q], n) => q! ** n, ([q], n) => Math.min(1, q!) ** Math.max(0, n - 1)),
  max: {
    engine: ([x], { dim }) => engine.max(x as engine.Tensor, dim),
    divergence: 'max with ties: tfjs gives every tied element the whole gradient, PyTorch (amax) splits it evenly; built as the mean of the tied maxima (where + sum / count)',
    tf: (tf, [x], { dim }) => tiedMax(tf, x as TfTensor, axis(x as TfTensor, dim)),
    magnitude: ([m], ctx) => {
      // The magnitudes of the elements that win (tied ones shared), from the oracle's values.
      const x = ctx.x[0] as Float32Array;
      const share = new Float32Array(x.length);
      eachGroup(ctx.shapes[0]!, ctx.attrs.dim, (indices) => {
        const winners = winnersOf(x, indices);
        for (const i of winners) share[i] = 1 / winners.length;
      });
      return ctx.tf.sum(ctx.tf.mul(constant(ctx.tf, share, ctx.shapes[0]!), m as TfTensor), axis(m as TfTensor, ctx.attrs.dim));
    },
    ulps: ([K], n) => K! + n + 2,
    quantum: minQuantum,
    gradStep: (_q, _n, ctx) => {
      // Each winner gets dy / (number of tied winners): exact when that number is a power of two.
      const x = ctx.x[0] as Float32Array;
      let step = 1;
      eachGroup(ctx.shapes[0]!, ctx.attrs.dim, (indices) => {
        const ties = winnersOf(x, indices).length;
        step = Math.min(step, isPowerOfTwo(ties) ? 1 / ties : 0);
      });
      return step;
    },
    kinks: (ctx) => {
      const x = ctx.x[0] as Float32Array, err = ctx.err[0]!;
      const kinks: Kink[] = [];
      eachGroup(ctx.shapes[0]!, ctx.attrs.dim, (indices) => {
        // Per element, the best of the others minus it: < 0 the sole winner, 0 a tie, > 0 a loser.
        for (const i of indices) {
          const others = indices.filter((j) => j !== i);
          if (others.length === 0) continue;
          const rival = others.reduce((best, j) => (x[j]! > x[best]! ? j : best));
          kinks.push({ gap: x[rival]! - x[i]!, err: err[rival]! + err[i]! });
        }
      });
      return kinks;
    },
  },
  softmax: {
    engine: ([x], { dim }) => engine.softmax(x as engine.Tensor, dim),
    divergence: 'tf.softmax works only along the last dimension; along another one it is built as exp(x - logSumExp(x, dim))',
    tf: (tf, [x], { dim }) => {
      const t = x as TfTensor;
      const last = dim === undefined || dim === -1 || dim === t.rank - 1;
      if (t.rank === 0) return tf.exp(tf.sub(t, t)); // 1, with slope 0
      return last ? tf.softmax(t) : tf.exp(tf.sub(t, tf.logSumExp(t, dim, true)));
    },
    // |ds_i/dx_j| <= s_i (delta_ij + s_j): M'_i = s_i (M_i + sum_j s_j M_j), widened by the inputs'
    // largest error (the slopes come from s, computed from those inputs), plus s's own rounding.
    magnitude: ([m], ctx) => {
      const { tf, y, shape } = ctx;
      const M = m as TfTensor;
      const dim = shape.length === 0 ? undefined : axis(M, ctx.attrs.dim ?? -1);
      const s = constant(tf, y, shape);
      const spreadOut = tf.mul(s, tf.add(M, tf.sum(tf.mul(s, M), dim, true)));
      return tf.add(tf.mul(spreadOut, widened(1, Math.max(0, ...ctx.err[0]!))), s);
    },
    ulps: ([K], n) => K! + n + 12,
  },
  pow: {
    engine: ([x], { k }) => engine.pow(x as engine.Tensor, k!),
    divergence: 'pow(x, 0): tfjs d/dx at x = 0 is NaN, PyTorch 0; built as onesLike(x)',
    tf: (tf, [x], { k }) => (k === 0 ? tf.onesLike(x as TfTensor) : tf.pow(x as TfTensor, tf.scalar(k!))),
    // A whole k >= 1: |k| M^k bounds value and slope alike; otherwise the slope |k||x|^(k-1), widened.
    magnitude: ([m], { tf, attrs, x, y, err, shape }) => {
      const k = attrs.k!, M = m as TfTensor;
      if (k === 0) return tf.onesLike(M); // the value 1, with no slope
      if (Number.isInteger(k) && k >= 1) return tf.add(tf.mul(Math.abs(k), tf.pow(M, tf.scalar(k))), constant(tf, Array.from(y, Math.abs), shape));
      const slope = Array.from(x[0] as Float32Array, (v, j) => widened(Math.abs(k) * Math.abs(v) ** (k - 1), err[0]![j]!, Math.abs(v), Math.abs(k - 1)));
      return tf.add(tf.mul(constant(tf, slope, shape), M), constant(tf, Array.from(y, Math.abs), shape));
    },
    ulps: ([K], _n, { k }) => Math.max(1, Math.abs(k!)) * K! + 8, // relative errors add up |k| times
    quantum: ([q], _n, { k }) => (k === 0 ? 1 : Number.isInteger(k) && k! > 0 && k! <= 3 ? q! ** k! : undefined),
    gradStep: ([q], _n, { attrs: { k } }) => (Number.isInteger(k) && k! >= 1 ? Math.min(1, q!) ** (k! - 1) : 0),
  },
  clamp: {
    engine: ([x], { min, max }) => engine.clamp(x as engine.Tensor, { min, max }),
    divergence:
      'clamp with min == max: tfjs clipByValue leaves the tape (tf.grad throws), PyTorch passes the gradient where x == min == max; built as where(x == c, x, c). min > max (PyTorch: all max, gradient 0) is built as a constant',
    tf: (tf, [x], { min = -Infinity, max = Infinity }) => {
      const t = x as TfTensor;
      if (min < max) return tf.clipByValue(t, min, max);
      if (min === max) return tf.where(tf.equal(detach(tf, t), min), t, tf.fill(t.shape, min));
      return tf.fill(t.shape, max);
    },
    // Inside [min, max] the input's magnitude; outside, the bound itself (an exact constant).
    magnitude: ([m], { tf, attrs: { min = -Infinity, max = Infinity }, x, y, shape }) => {
      const inside = Array.from(x[0] as Float32Array, (v) => (v >= min && v <= max ? 1 : 0));
      return tf.add(tf.mul(constant(tf, inside, shape), m as TfTensor), constant(tf, Array.from(y, (v, j) => (inside[j] ? 0 : Math.abs(v))), shape));
    },
    ulps: ([K]) => K!,
    quantum: ([q], _n, { min = 0, max = 0 }) => Math.min(q!, quantumOf(min) ?? 0, quantumOf(max) ?? 0) || undefined,
    kinks: (ctx) => {
      const { min, max } = ctx.attrs;
      const x = ctx.x[0] as Float32Array;
      const bounds = [min, max].filter((b): b is number => b !== undefined);
      return Array.from(x).flatMap((v, j) => bounds.map((b) => ({ gap: v - b, err: ctx.err[0]![j]! })));
    },
  },
  stack: {
    engine: (args) => engine.stack(args as engine.Tensor[]),
    tf: (tf, args) => tf.stack(args as TfTensor[]),
    magnitude: (m, { tf }) => tf.stack(m as TfTensor[]),
    ulps: (K) => Math.max(...K),
    quantum: minQuantum,
  },
  at: {
    engine: ([x], { index }) => engine.at(x as engine.Tensor, index!),
    divergence: "tf.gather's gradient needs UnsortedSegmentSum, which wasm lacks; built as slice + reshape",
    tf: (tf, [x], { index }) => slice(tf, x as TfTensor, index!),
    magnitude: ([m], { tf, attrs }) => slice(tf, m as TfTensor, attrs.index!),
    ulps: ([K]) => K!,
    quantum: minQuantum,
  },
  reshape: {
    engine: ([x], { shape }) => engine.reshape(x as engine.Tensor, shape!),
    tf: (tf, [x], { shape }) => tf.reshape(x as TfTensor, shape!),
    magnitude: ([m], { tf, attrs }) => tf.reshape(m as TfTensor, attrs.shape!),
    ulps: ([K]) => K!,
    quantum: minQuantum,
  },
  // Copies: exact forward; the gradient sums the copies, which the replay bounds as it bounds sum's.
  expand: {
    engine: ([x], { shape }) => engine.expand(x as engine.Tensor, shape!),
    tf: (tf, [x], { shape }) => tf.broadcastTo(x as TfTensor, shape!),
    magnitude: ([m], { tf, attrs }) => tf.broadcastTo(m as TfTensor, attrs.shape!),
    ulps: ([K]) => K!,
    quantum: minQuantum,
  },
};

function slice(tf: Tf, x: TfTensor, index: number): TfTensor {
  const n = x.shape[0]!;
  const i = index < 0 ? index + n : index;
  const begin = x.shape.map((_, d) => (d === 0 ? i : 0));
  const sizes = x.shape.map((s, d) => (d === 0 ? 1 : s));
  return tf.reshape(tf.slice(x, begin, sizes), x.shape.slice(1));
}

/** The length the op's ulps and steps count with: inner dimension or reduced group size. */
export function opLength(op: OpName, shapes: Shape[], attrs: Attrs): number {
  switch (op) {
    case 'matmul':
    case 'mv':
    case 'dot': {
      const a = shapes[0]!;
      return a[a.length - 1]!;
    }
    case 'sum':
    case 'mean':
    case 'prod':
    case 'max':
      return reductionGroups(op, shapes[0]!, attrs.dim).n;
    case 'softmax':
      return shapes[0]!.length === 0 ? 1 : reductionGroups(op, shapes[0]!, attrs.dim ?? -1).n;
    default:
      return 1;
  }
}

/** The divergence notes of the table, for reports and the README. */
export const DIVERGENCES = Object.entries(OP_TABLE)
  .filter(([, rule]) => rule.divergence)
  .map(([op, rule]) => ({ op, divergence: rule.divergence! }));
