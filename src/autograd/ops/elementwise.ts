/**
 * Elementwise ops. Each is its value `f` and its local derivative, written side by side; `unary` and
 * `binary` turn them into primitives (the loops live once, here).
 */
import { Tensor, defineOp, type ClampBounds } from '../tensor.ts';
import { asTensor, broadcastPair } from './operands.ts';

/** y = f(x); dy/dx = df(x, y). */
function unary(name: string, f: (x: number) => number, df: (x: number, y: number) => number) {
  const op = defineOp({
    name,
    forward([x]) {
      const out = new Float64Array(x!.data.length);
      for (let i = 0; i < out.length; i++) out[i] = f(x!.data[i]!);
      return new Tensor(out, x!.shape);
    },
    backward(g, [gx], [x], y) {
      for (let i = 0; i < g.length; i++) gx![i] += g[i]! * df(x!.data[i]!, y.data[i]!);
    },
  });
  const call = name.toLowerCase();
  return (x: Tensor): Tensor => op([asTensor(call, x)], undefined);
}

/** y = f(a, b) with broadcasting; dy/da = da(a, b, y), dy/db = db(a, b, y). */
function binary(
  name: string,
  f: (a: number, b: number) => number,
  da: (a: number, b: number, y: number) => number,
  db: (a: number, b: number, y: number) => number,
) {
  const op = defineOp({
    name,
    forward([a, b]) {
      const out = new Float64Array(a!.data.length);
      for (let i = 0; i < out.length; i++) out[i] = f(a!.data[i]!, b!.data[i]!);
      return new Tensor(out, a!.shape);
    },
    backward(g, [ga, gb], [a, b], y) {
      const A = a!.data, B = b!.data, Y = y.data;
      if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i]! * da(A[i]!, B[i]!, Y[i]!);
      if (gb) for (let i = 0; i < g.length; i++) gb[i] += g[i]! * db(A[i]!, B[i]!, Y[i]!);
    },
  });
  const call = name.toLowerCase();
  return (a: Tensor | number, b: Tensor | number): Tensor => op(broadcastPair(call, a, b), undefined);
}

const one = () => 1;
/** PyTorch splits the gradient evenly between tied operands of maximum and minimum. */
const tie = (won: boolean, tied: boolean) => (won ? 1 : tied ? 0.5 : 0);

/** -x */
export const neg = unary('Neg', (x) => -x, () => -1);
/** e^x */
export const exp = unary('Exp', Math.exp, (_x, y) => y);
/** Natural logarithm (NaN below 0, -Infinity at 0, as torch). */
export const log = unary('Log', Math.log, (x) => 1 / x);
/** Hyperbolic tangent; tanh' = 1 - tanh^2. */
export const tanh = unary('Tanh', Math.tanh, (_x, y) => 1 - y * y);
/** 1 / (1 + e^-x); sigmoid' = sigmoid (1 - sigmoid). */
export const sigmoid = unary('Sigmoid', (x) => 1 / (1 + Math.exp(-x)), (_x, y) => y * (1 - y));
/** relu'(0) = 0, as torch.relu; like torch, a NaN passes through (x <= 0 is false for NaN). */
export const relu = unary('Relu', (x) => (x <= 0 ? 0 : x), (x) => (x <= 0 ? 0 : 1));
/** abs'(0) = 0, as torch.abs. */
export const abs = unary('Abs', Math.abs, (x) => Math.sign(x));

/** a + b elementwise; either may be a number; shapes broadcast (NumPy rules). */
export const add = binary('Add', (a, b) => a + b, one, one);
/** a - b elementwise, broadcasting. */
export const sub = binary('Sub', (a, b) => a - b, one, () => -1);
/** a * b elementwise (not a matrix product: see matmul), broadcasting. */
export const mul = binary('Mul', (a, b) => a * b, (_a, b) => b, (a) => a);
/** a / b elementwise, broadcasting. */
export const div = binary('Div', (a, b) => a / b, (_a, b) => 1 / b, (a, b) => -a / (b * b));
/**
 * a^b elementwise, b a number or a tensor, broadcasting. As torch.pow: d/da is 0 wherever b == 0 (also at a == 0); d/db = y log a, which is NaN for a < 0,
 * and 0 where a == 0 and b >= 0.
 */
export const pow = binary(
  'Pow',
  (a, b) => a ** b,
  (a, b) => (b === 0 ? 0 : b * a ** (b - 1)),
  (a, b, y) => (a === 0 && b >= 0 ? 0 : y * Math.log(a)),
);
/** The larger of a and b elementwise; a tie splits the gradient 0.5 / 0.5 (torch). */
export const maximum = binary('Maximum', Math.max, (a, b) => tie(a > b, a === b), (a, b) => tie(b > a, a === b));
/** The smaller of a and b elementwise; a tie splits the gradient 0.5 / 0.5 (torch). */
export const minimum = binary('Minimum', Math.min, (a, b) => tie(a < b, a === b), (a, b) => tie(b < a, a === b));

/** Gradient 1 where min <= x <= max (bounds included, so also at x == min == max), else 0. */
const clampOp = defineOp<{ min: number; max: number }>({
  name: 'Clamp',
  forward([x], { min, max }) {
    const out = new Float64Array(x!.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(Math.max(x!.data[i]!, min), max);
    return new Tensor(out, x!.shape);
  },
  backward(g, [gx], [x], _y, { min, max }) {
    for (let i = 0; i < g.length; i++) {
      const v = x!.data[i]!;
      if (v >= min && v <= max) gx![i] += g[i]!;
    }
  },
});

/** x limited to [min, max] (either bound may be left out). */
export function clamp(x: Tensor, bounds: ClampBounds): Tensor {
  const { min = -Infinity, max = Infinity } = bounds ?? {};
  if (bounds?.min === undefined && bounds?.max === undefined) throw new Error('clamp: give at least one of min and max');
  if (typeof min !== 'number' || typeof max !== 'number') throw new Error('clamp: min and max must be numbers');
  return clampOp([asTensor('clamp', x)], { min, max });
}
