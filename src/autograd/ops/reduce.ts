/**
 * Reductions along one dim (or over everything when dim is omitted), and softmax. Each views its
 * input as [outer, n, inner] (see `reductionGroups`): element (o, k, i) sits at (o*n + k)*inner + i.
 */
import { formatShape, reductionGroups, type Groups } from '../shape.ts';
import { Tensor, defineOp } from '../tensor.ts';
import { asTensor } from './operands.ts';
import { mul } from './elementwise.ts';

/**
 * A reduction primitive: `forward` reads one group of n strided values into one number. Sum and
 * prod of nothing are 0 and 1; max of nothing has no value (`emptyHasValue: false`).
 */
function reduction(
  name: string,
  forward: (x: Float64Array, start: number, n: number, stride: number) => number,
  backward: (g: number, gx: Float64Array, x: Float64Array, y: number, start: number, n: number, stride: number, whole: boolean) => void,
  { emptyHasValue = true } = {},
) {
  const op = defineOp<Groups>({
    name,
    forward([x], { outer, n, inner, shape }) {
      const out = new Float64Array(outer * inner);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) out[o * inner + i] = forward(x!.data, o * n * inner + i, n, inner);
      }
      return new Tensor(out, shape);
    },
    backward(g, [gx], [x], y, { outer, n, inner, whole }) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const at = o * inner + i;
          backward(g[at]!, gx!, x!.data, y.data[at]!, o * n * inner + i, n, inner, whole);
        }
      }
    },
  });
  const call = name.toLowerCase();
  return (x: Tensor, dim?: number): Tensor => {
    const groups = reductionGroups(call, asTensor(call, x).shape, dim);
    if (groups.n === 0 && !emptyHasValue) {
      throw new Error(`${call}: cannot reduce an empty dimension of shape ${formatShape(x.shape)}`);
    }
    return op([x], groups);
  };
}

/** Sum of all elements (shape []), or along `dim` (that dim removed). */
export const sum = reduction(
  'Sum',
  (x, start, n, stride) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += x[start + k * stride]!;
    return s;
  },
  (g, gx, _x, _y, start, n, stride) => {
    for (let k = 0; k < n; k++) gx[start + k * stride] += g;
  },
);

/**
 * Product of all elements, or along `dim`. d/dx_k prod = g * (product before k) * (product after k):
 * exact with any number of zeros, no division. Two differences from PyTorch, both on purpose or
 * PyTorch's own:
 *   - without a zero PyTorch divides, g * (y / x_k): NaN where x_k is ±Infinity or NaN and wrong
 *     where y over- or underflows; the engine keeps the exact product of the others (README,
 *     "Fidelity"). PyTorch agrees wherever its division is exact.
 *   - the product of everything with two or more zeros has gradient 0 in PyTorch even for an
 *     infinite g (a cut: it returns zeros); along a dim, and with one zero, it multiplies. So here.
 */
export const prod = reduction(
  'Prod',
  (x, start, n, stride) => {
    let p = 1;
    for (let k = 0; k < n; k++) p *= x[start + k * stride]!;
    return p;
  },
  (g, gx, x, _y, start, n, stride, whole) => {
    if (whole) {
      let zeros = 0;
      for (let k = 0; k < n && zeros < 2; k++) if (x[start + k * stride] === 0) zeros++;
      if (zeros >= 2) return;
    }
    if (scratch.length < n) scratch = new Float64Array(n);
    let before = 1;
    for (let k = 0; k < n; k++) {
      scratch[k] = before; // product before k
      before *= x[start + k * stride]!;
    }
    let after = 1;
    for (let k = n - 1; k >= 0; k--) {
      gx[start + k * stride] += g * (scratch[k]! * after);
      after *= x[start + k * stride]!;
    }
  },
);
/** Holds prod's prefix products; grows to the longest group seen. */
let scratch = new Float64Array(64);

/** Largest element, or largest along `dim` (torch.amax): tied maxima share the gradient evenly; a NaN is the largest (torch.max). */
export const max = reduction(
  'Max',
  (x, start, n, stride) => {
    let m = -Infinity;
    for (let k = 0; k < n; k++) {
      const v = x[start + k * stride]!;
      if (v > m || Number.isNaN(v)) m = v;
      if (Number.isNaN(v)) break;
    }
    return m;
  },
  (g, gx, x, y, start, n, stride) => {
    // The winners: the elements equal to the max, or, when the max is NaN, the NaNs (torch).
    const wins = (v: number) => v === y || (v !== v && y !== y);
    let ties = 0;
    for (let k = 0; k < n; k++) if (wins(x[start + k * stride]!)) ties++;
    for (let k = 0; k < n; k++) if (wins(x[start + k * stride]!)) gx[start + k * stride] += g / ties;
  },
  { emptyHasValue: false },
);

/** Mean of all elements, or along `dim`. */
export function mean(x: Tensor, dim?: number): Tensor {
  const { n } = reductionGroups('mean', asTensor('mean', x).shape, dim);
  return mul(sum(x, dim), 1 / n);
}

/** y = exp(x - max) / sum(exp(x - max)) along dim (default the last); dx = y (g - sum(g y)). */
const softmaxOp = defineOp<Groups>({
  name: 'Softmax',
  forward([x], { outer, n, inner }) {
    const X = x!.data, Y = new Float64Array(X.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const start = o * n * inner + i;
        let m = -Infinity, s = 0;
        for (let k = 0; k < n; k++) m = Math.max(m, X[start + k * inner]!);
        for (let k = 0; k < n; k++) s += Y[start + k * inner] = Math.exp(X[start + k * inner]! - m);
        for (let k = 0; k < n; k++) Y[start + k * inner] /= s;
      }
    }
    return new Tensor(Y, x!.shape);
  },
  backward(g, [gx], _inputs, y, { outer, n, inner }) {
    const Y = y.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const start = o * n * inner + i;
        let gy = 0;
        for (let k = 0; k < n; k++) gy += g[start + k * inner]! * Y[start + k * inner]!;
        for (let k = 0; k < n; k++) gx![start + k * inner] += Y[start + k * inner]! * (g[start + k * inner]! - gy);
      }
    }
  },
});

/** Softmax along `dim` (default the last): exp(x) / sum(exp(x)), computed stably. */
export function softmax(x: Tensor, dim?: number): Tensor {
  asTensor('softmax', x);
  const groups = reductionGroups('softmax', x.shape, dim ?? (x.shape.length === 0 ? undefined : -1));
  return softmaxOp([x], groups);
}
