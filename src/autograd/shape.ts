/** Shape arithmetic shared by the ops: sizes, broadcasting, dimensions, reduction groups. */

export type Shape = number[];

/** The sizes of `zeros(2, 3)` or `zeros([2, 3])` as one fresh array. */
export const shapeOf = (sizes: number[] | [number[]]): Shape => (Array.isArray(sizes[0]) ? sizes[0] : (sizes as number[])).slice();

export const formatShape = (shape: readonly number[]): string => `[${shape.join(',')}]`;

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting: align on the right; each pair of sizes must agree or one of them be 1. */
export function broadcastShape(op: string, a: readonly number[], b: readonly number[]): Shape {
  const rank = Math.max(a.length, b.length);
  const out: Shape = new Array(rank);
  for (let i = 1; i <= rank; i++) {
    const da = a[a.length - i] ?? 1;
    const db = b[b.length - i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot broadcast`);
    }
    out[rank - i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For every element of `to` (row-major), the index of the element of `from` that broadcasting reads.
 * `from` must broadcast to `to` (checked by the caller).
 */
export function broadcastIndex(from: readonly number[], to: readonly number[]): Int32Array {
  const rank = to.length;
  const strides = new Array<number>(rank).fill(0); // stride in `from` along each dim of `to`; 0 where broadcast
  for (let i = from.length - 1, s = 1; i >= 0; i--) {
    const d = from[i]!;
    if (d !== 1) strides[rank - from.length + i] = s;
    s *= d;
  }
  const index = new Int32Array(sizeOf(to));
  const counter = new Array<number>(rank).fill(0);
  for (let k = 0, at = 0; k < index.length; k++) {
    index[k] = at;
    for (let d = rank - 1; d >= 0; d--) {
      at += strides[d]!;
      if (++counter[d]! < to[d]!) break;
      at -= strides[d]! * to[d]!;
      counter[d] = 0;
    }
  }
  return index;
}

/**
 * A dimension argument (negative counts from the end) as an index into `shape`. A 0-d tensor takes
 * dim 0 or -1 as if it were one element long (PyTorch's rule: `sum(x, 0)` of shape [] is x).
 */
function normalizeDim(op: string, dim: number, shape: readonly number[]): number {
  const rank = Math.max(1, shape.length);
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    throw new Error(`${op}: dim ${dim} out of range for shape ${formatShape(shape)}`);
  }
  return dim < 0 ? dim + rank : dim;
}

/**
 * A reduction along one dim views the data as [outer, n, inner]: element (o, k, i) sits at
 * (o * n + k) * inner + i. With no dim the whole tensor is one group of n = size.
 */
export interface Groups {
  outer: number;
  n: number;
  inner: number;
  /** The reduced shape (the dim removed; `[]` for a full reduction). */
  shape: Shape;
  /** No dim was given: everything is reduced. */
  whole: boolean;
}

export function reductionGroups(op: string, shape: readonly number[], dim: number | undefined): Groups {
  if (dim === undefined) return { outer: 1, n: sizeOf(shape), inner: 1, shape: [], whole: true };
  const d = normalizeDim(op, dim, shape);
  if (shape.length === 0) return { outer: 1, n: 1, inner: 1, shape: [], whole: false };
  return {
    outer: sizeOf(shape.slice(0, d)),
    n: shape[d]!,
    inner: sizeOf(shape.slice(d + 1)),
    shape: [...shape.slice(0, d), ...shape.slice(d + 1)],
    whole: false,
  };
}
