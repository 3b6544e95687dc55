/** Building and reading PlainTensors in specs: `plain([[1, 2], [3, 4]])` reads like the notebook. */
import type { PlainTensor } from '../sandbox/protocol.ts';

type Nested = number | Nested[];

/** How many numbers a tensor of `shape` holds. */
export const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** A PlainTensor from a number (shape []) or nested arrays of equal lengths. */
export function plain(values: Nested): PlainTensor {
  const shape: number[] = [];
  for (let level: Nested = values; Array.isArray(level); level = level[0]!) shape.push(level.length);
  const data: number[] = [];
  const collect = (v: Nested): void => void (Array.isArray(v) ? v.forEach(collect) : data.push(v));
  collect(values);
  if (data.length !== sizeOf(shape)) throw new Error(`plain: ragged nested arrays (shape ${JSON.stringify(shape)})`);
  return { shape, data: Float64Array.from(data) };
}

export const plainOf = (shape: number[], values: ArrayLike<number>): PlainTensor => ({ shape: [...shape], data: Float64Array.from(values) });

/** Row t of a [N, ...] tensor. */
export function rowOf(t: PlainTensor, i: number): PlainTensor {
  const width = sizeOf(t.shape.slice(1));
  return plainOf(t.shape.slice(1), t.data.subarray(i * width, (i + 1) * width));
}

/** The first `k` rows of a [N, ...] tensor. */
export function firstRows(t: PlainTensor, k: number): PlainTensor {
  const width = sizeOf(t.shape.slice(1));
  return plainOf([k, ...t.shape.slice(1)], t.data.subarray(0, k * width));
}

/** M v for a [rows, cols] matrix and a [cols] vector, in float64: the grader's own arithmetic. */
export function matVec(M: PlainTensor, v: PlainTensor): PlainTensor {
  const [rows, cols] = M.shape as [number, number];
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i]! += M.data[i * cols + j]! * v.data[j]!;
  return { shape: [rows], data: out };
}

const elementwise = (a: PlainTensor, f: (x: number, i: number) => number): PlainTensor => ({ shape: [...a.shape], data: a.data.map(f) });
export const plus = (a: PlainTensor, b: PlainTensor) => elementwise(a, (x, i) => x + b.data[i]!);
export const relu = (a: PlainTensor) => elementwise(a, (x) => Math.max(x, 0));

/** Tensors of one shape stacked along a new first dimension (like the engine's stack). */
export const stack = (...tensors: PlainTensor[]): PlainTensor =>
  plainOf([tensors.length, ...tensors[0]!.shape], tensors.flatMap((t) => Array.from(t.data)));
