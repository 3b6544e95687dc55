/**
 * Elementwise ops. Each is its value `f` and its local derivative, written side by side; `unary` and
 * `binary` turn them into primitives (the loops live once, here).
 *
 * A derivative of `null` is a cut, not a 0: PyTorch builds those gradients with where/masked_fill,
 * so nothing flows there even when the upstream gradient is infinite (log(relu(x)) at x < 0 has
 * gradient 0, not inf * 0 = NaN). A derivative of 0 multiplies, as PyTorch's products do.
 */
type Derivative = number | null;
import { Tensor, defineOp, type ClampBounds } from '../tensor.ts';
import { asTensor, broadcastPair } from './operands.ts';

/** y = f(x); dy/dx = df(x, y). */
function unary(name: string, f: (x: number) => number, df: (x: number, y: number) => Derivative) {
  const op = defineOp({
    name,
    forward([x]) {
      const out = new Float64Array(x!.data.length);
      for (let i = 0; i < out.length; i++) out[i] = f(x!.data[i]!);
      return new Tensor(out, x!.shape);
    },
    backward(g, [gx], [x], y) {
      for (let i = 0; i < g.length; i++) {
        const d = df(x!.data[i]!, y.data[i]!);
        if (d !== null) gx![i] += g[i]! * d;
      }
    },
  });
  const call = name.toLowerCase();
  return (x: Tensor): Tensor => op([asTensor(call, x)], undefined);
}

/** y = f(a, b) with broadcasting; dy/da = da(a, b, y), dy/db = db(a, b, y). */
function binary(
  name: string,
  f: (a: number, b: number) => number,
  da: (a: number, b: number, y: number) => Derivative,
  db: (a: number, b: number, y: number) => Derivative,
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
      for (let i = 0; i < g.length; i++) {
        const dA = ga && da(A[i]!, B[i]!, Y[i]!), dB = gb && db(A[i]!, B[i]!, Y[i]!);
        if (dA !== null) ga![i] += g[i]! * dA;
        if (dB !== null) gb![i] += g[i]! * dB;
      }
    },
  });
  const call = name.toLowerCase();
  return (a: Tensor | number, b: Tensor | number): Tensor => op(broadcastPair(call, a, b), undefined);
}

const one = () => 1;
/**
 * maximum/minimum as PyTorch: where(a == b, g / 2, g), cut where the operand lost. A NaN operand
 * neither wins nor loses nor ties, so both sides get all of g.
 */
const side = (lost: boolean, tied: boolean): Derivative => (lost ? null : tied ? 0.5 : 1);
/** C's pow (and so PyTorch's): pow(1, y) = 1 and pow(x, 0) = 1 for any y, x (NaN too), pow(-1, ±Infinity) = 1; JS's ** gives NaN there. */
const cpow = (a: number, b: number) => (a === 1 || b === 0 || (a === -1 && Math.abs(b) === Infinity) ? 1 : a ** b);

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
/** relu'(0) = 0, as torch.relu, and cut where x <= 0; like torch, a NaN passes through (x <= 0 is false for NaN). */
export const relu = unary('Relu', (x) => (x <= 0 ? 0 : x), (x) => (x <= 0 ? null : 1));
/** abs' = sgn(x): 0 at 0 and at NaN (torch.sgn), multiplied as torch does. */
export const abs = unary('Abs', Math.abs, (x) => (x > 0 ? 1 : x < 0 ? -1 : 0));

/** a + b elementwise; either may be a number; shapes broadcast (NumPy rules). */
export const add = binary('Add', (a, b) => a + b, one, one);
/** a - b elementwise, broadcasting. */
export const sub = binary('Sub', (a, b) => a - b, one, () => -1);
/** a * b elementwise (not a matrix product: see matmul), broadcasting. */
export const mul = binary('Mul', (a, b) => a * b, (_a, b) => b, (a) => a);
/** a / b elementwise, broadcasting. */
export const div = binary('Div', (a, b) => a / b, (_a, b) => 1 / b, (a, b) => -a / (b * b));
/**
 * a^b elementwise, b a number or a tensor, broadcasting; C's pow (pow(1, NaN) = 1). As torch.pow:
 * d/da is cut wherever b == 0 (also at a == 0); d/db = y log a, which is NaN for a < 0, and 0
 * where a == 0 and b >= 0.
 */
const powWith = (p: (a: number, b: number) => number) =>
  binary('Pow', p, (a, b) => (b === 0 ? null : b * p(a, b - 1)), (a, b, y) => (a === 0 && b >= 0 ? 0 : y * Math.log(a)));
const tensorPow = powWith(cpow);
/** PyTorch's kernel for a number exponent takes ±0.5 as a square root: pow(-Infinity, 0.5) is NaN there (C's pow: Infinity). */
const numberPow = powWith((a, b) => (b === 0.5 ? Math.sqrt(a) : b === -0.5 ? 1 / Math.sqrt(a) : cpow(a, b)));
export const pow = (a: Tensor | number, b: Tensor | number): Tensor => (typeof b === 'number' ? numberPow : tensorPow)(a, b);
/** The larger of a and b elementwise; a tie splits the gradient 0.5 / 0.5 (torch). */
export const maximum = binary('Maximum', Math.max, (a, b) => side(a < b, a === b), (a, b) => side(b < a, a === b));
/** The smaller of a and b elementwise; a tie splits the gradient 0.5 / 0.5 (torch). */
export const minimum = binary('Minimum', Math.min, (a, b) => side(a > b, a === b), (a, b) => side(b > a, a === b));

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
