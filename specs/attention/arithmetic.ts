/**
 * The grader's own attention, in float64 on plain tensors: what the public properties compare with
 * and what grades the previous-token head (never the student's functions, never the engine). The
 * softmax subtracts the largest allowed score, so it neither overflows nor underflows to 0/0, and a
 * masked position gets weight exactly 0.
 */
import { fromFunction, plainOf, type PlainTensor } from 'propgrade/spec';

/** Entry (i, j) of a [rows, cols] tensor. */
export const entry = (t: PlainTensor, i: number, j: number): number => t.data[i * t.shape[1]! + j]!;

export const transpose = (A: PlainTensor): PlainTensor => fromFunction([A.shape[1]!, A.shape[0]!], (k) => entry(A, k % A.shape[0]!, Math.floor(k / A.shape[0]!)));

export function matmul(A: PlainTensor, B: PlainTensor): PlainTensor {
  const [rows, inner] = A.shape as [number, number];
  const cols = B.shape[1]!;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let k = 0; k < inner; k++) for (let j = 0; j < cols; j++) out[i * cols + j]! += entry(A, i, k) * entry(B, k, j);
  return plainOf([rows, cols], out);
}

export const scale = (A: PlainTensor, c: number): PlainTensor => ({ shape: [...A.shape], data: A.data.map((x) => c * x) });

/** scores = Q Kᵀ / √d, d the columns of Q. */
export const scaledScores = (Q: PlainTensor, K: PlainTensor): PlainTensor => scale(matmul(Q, transpose(K)), 1 / Math.sqrt(Q.shape[1]!));

/** Whether query i may attend to key j (no mask: every key). */
export const allowed = (mask: PlainTensor | undefined, i: number, j: number): boolean => mask === undefined || entry(mask, i, j) !== 0;

/** softmax of each row of a [n, m] tensor over the positions the mask allows; the others get exactly 0. */
export function softmaxRows(S: PlainTensor, mask?: PlainTensor): PlainTensor {
  const [n, m] = S.shape as [number, number];
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < m; j++) if (allowed(mask, i, j)) max = Math.max(max, entry(S, i, j));
    let sum = 0;
    for (let j = 0; j < m; j++) if (allowed(mask, i, j)) sum += out[i * m + j] = Math.exp(entry(S, i, j) - max);
    for (let j = 0; j < m; j++) out[i * m + j]! /= sum;
  }
  return plainOf([n, m], out);
}

export const attentionWeights = (Q: PlainTensor, K: PlainTensor, mask?: PlainTensor): PlainTensor => softmaxRows(scaledScores(Q, K), mask);

export const attentionOutput = (Q: PlainTensor, K: PlainTensor, V: PlainTensor, mask?: PlainTensor): PlainTensor => matmul(attentionWeights(Q, K, mask), V);

/** softmax of a 1-D tensor. */
export const softmax = (z: PlainTensor): PlainTensor => plainOf(z.shape, softmaxRows(plainOf([1, z.data.length], z.data)).data);

/** The causal mask of n tokens: mask[i][j] = 1 iff j <= i. */
export const causalMask = (n: number, m = n): PlainTensor => fromFunction([n, m], (k) => (k % m <= Math.floor(k / m) ? 1 : 0));

export const eye = (n: number): PlainTensor => fromFunction([n, n], (k) => (k % n === Math.floor(k / n) ? 1 : 0));

/** The rows of a [n, ...] tensor at `indices`, in that order. */
export function pickRows(A: PlainTensor, indices: number[]): PlainTensor {
  const width = A.data.length / A.shape[0]!;
  return plainOf([indices.length, ...A.shape.slice(1)], indices.flatMap((i) => Array.from(A.data.subarray(i * width, (i + 1) * width))));
}

/** The columns of a [n, m] tensor at `indices`, in that order. */
export const pickColumns = (A: PlainTensor, indices: number[]): PlainTensor => transpose(pickRows(transpose(A), indices));

/** [A B ...]: tensors of one row count side by side. */
export const concatColumns = (...parts: PlainTensor[]): PlainTensor => transpose(plainOf([parts.reduce((n, p) => n + p.shape[1]!, 0), parts[0]!.shape[0]!], parts.flatMap((p) => Array.from(transpose(p).data))));
