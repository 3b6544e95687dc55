/** Matrix products, transpose and diagonal: tight loops over row-major storage. */
import { formatShape } from '../shape.ts';
import { Tensor, defineOp } from '../tensor.ts';
import { asTensor } from './operands.ts';

/** sum_k x[i + k] y[j + k] over k < n, with four accumulators so the adds overlap. */
function dotRange(x: Float64Array, i: number, y: Float64Array, j: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += x[i + k]! * y[j + k]!;
    s1 += x[i + k + 1]! * y[j + k + 1]!;
    s2 += x[i + k + 2]! * y[j + k + 2]!;
    s3 += x[i + k + 3]! * y[j + k + 3]!;
  }
  for (; k < n; k++) s0 += x[i + k]! * y[j + k]!;
  return s0 + s1 + (s2 + s3);
}

/** y[j + k] += alpha x[i + k] for k < n. */
function axpy(y: Float64Array, j: number, alpha: number, x: Float64Array, i: number, n: number): void {
  for (let k = 0; k < n; k++) y[j + k] += alpha * x[i + k]!;
}

/**
 * C[m,p] = A[m,n] B[n,p]; a 1-D operand is a row (left) or a column (right) and its dim is dropped
 * from the result. Every inner loop runs along contiguous rows. p == 1 (matrix-vector, the RNN's
 * hot path) gets its own loops: one dot product per row forward, one sweep over A's rows backward.
 */
const matmulOp = defineOp<{ m: number; n: number; p: number }>({
  name: 'Matmul',
  forward([a, b], { m, n, p }) {
    const A = a!.data, B = b!.data, C = new Float64Array(m * p);
    if (p === 1) for (let i = 0; i < m; i++) C[i] = dotRange(A, i * n, B, 0, n);
    else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) axpy(C, i * p, A[i * n + j]!, B, j * p, p);
    const shape = a!.shape.length === 1 ? (b!.shape.length === 1 ? [] : [p]) : b!.shape.length === 1 ? [m] : [m, p];
    return new Tensor(C, shape);
  },
  backward(g, [ga, gb], [a, b], _out, { m, n, p }) {
    // dA[i,j] += sum_k g[i,k] B[j,k];  dB[j,k] += sum_i A[i,j] g[i,k]
    const A = a!.data, B = b!.data;
    if (p === 1) {
      for (let i = 0; i < m; i++) {
        if (ga) axpy(ga, i * n, g[i]!, B, 0, n);
        if (gb) axpy(gb, 0, g[i]!, A, i * n, n);
      }
      return;
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        if (ga) ga[i * n + j] += dotRange(g, i * p, B, j * p, p);
        if (gb) axpy(gb, j * p, A[i * n + j]!, g, i * p, p);
      }
    }
  },
});

/** Matrix product of 1-D or 2-D tensors: [m,n]@[n,p] -> [m,p], [m,n]@[n] -> [m], [n]@[n,p] -> [p], [n]@[n] -> []. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  asTensor('matmul', a, 1);
  asTensor('matmul', b, 2);
  const ra = a.shape.length, rb = b.shape.length;
  if (ra < 1 || ra > 2 || rb < 1 || rb > 2) {
    throw new Error(`matmul: operands must be 1-D or 2-D; got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const m = ra === 2 ? a.shape[0]! : 1;
  const n = a.shape[ra - 1]!;
  const p = rb === 2 ? b.shape[1]! : 1;
  if (b.shape[0] !== n) {
    throw new Error(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not align`);
  }
  return matmulOp([a, b], { m, n, p });
}

/** Matrix [m,n] times vector [n] -> [m]. */
export function mv(matrix: Tensor, vector: Tensor): Tensor {
  asTensor('mv', matrix, 1);
  asTensor('mv', vector, 2);
  if (matrix.shape.length !== 2 || vector.shape.length !== 1) {
    throw new Error(`mv: expects a 2-D matrix and a 1-D vector; got shapes ${formatShape(matrix.shape)} and ${formatShape(vector.shape)}`);
  }
  if (matrix.shape[1] !== vector.shape[0]) {
    throw new Error(`mv: shapes ${formatShape(matrix.shape)} and ${formatShape(vector.shape)} do not align`);
  }
  return matmul(matrix, vector);
}

/** Dot product of two vectors of one length -> shape []. */
export function dot(a: Tensor, b: Tensor): Tensor {
  asTensor('dot', a, 1);
  asTensor('dot', b, 2);
  if (a.shape.length !== 1 || b.shape.length !== 1) {
    throw new Error(`dot: expects two 1-D tensors; got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new Error(`dot: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not align`);
  }
  return matmul(a, b);
}

const transposeOp = defineOp({
  name: 'Transpose',
  forward([x]) {
    const [m, n] = x!.shape as [number, number];
    const X = x!.data, out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = X[i * n + j]!;
    return new Tensor(out, [n, m]);
  },
  backward(g, [gx], [x]) {
    const [m, n] = x!.shape as [number, number];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) gx![i * n + j] += g[j * m + i]!;
  },
});

/** The transpose of a 2-D tensor; a 0-D or 1-D tensor is its own transpose (as torch's `.T`). */
export function transpose(x: Tensor): Tensor {
  asTensor('T', x);
  if (x.shape.length < 2) return x;
  if (x.shape.length > 2) throw new Error(`T: expects at most 2 dimensions, got shape ${formatShape(x.shape)}`);
  return transposeOp([x], undefined);
}

/** A 1-D tensor's diagonal matrix, or a 2-D tensor's main diagonal (torch.diag). */
const diagOp = defineOp({
  name: 'Diag',
  forward([x]) {
    const X = x!.data;
    if (x!.shape.length === 1) {
      const n = X.length, out = new Float64Array(n * n);
      for (let i = 0; i < n; i++) out[i * n + i] = X[i]!;
      return new Tensor(out, [n, n]);
    }
    const [m, n] = x!.shape as [number, number];
    const out = new Float64Array(Math.min(m, n));
    for (let i = 0; i < out.length; i++) out[i] = X[i * n + i]!;
    return new Tensor(out, [out.length]);
  },
  backward(g, [gx], [x]) {
    // Consecutive diagonal elements lie one row and one column apart: of the output, or of x.
    if (x!.shape.length === 1) for (let i = 0, stride = x!.size + 1; i < gx!.length; i++) gx![i] += g[i * stride]!;
    else for (let i = 0, stride = x!.shape[1]! + 1; i < g.length; i++) gx![i * stride] += g[i]!;
  },
});

export function diag(x: Tensor): Tensor {
  asTensor('diag', x);
  if (x.shape.length !== 1 && x.shape.length !== 2) {
    throw new Error(`diag: expects a 1-D or 2-D tensor, got shape ${formatShape(x.shape)}`);
  }
  return diagOp([x], undefined);
}
