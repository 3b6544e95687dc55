/** Matrix products, transpose and diagonal: tight loops over row-major storage. */
import { formatShape } from '../shape.ts';
import { Tensor, defineOp } from '../tensor.ts';
import { asTensor } from './operands.ts';

/**
 * C[m,p] = A[m,n] B[n,p]; a 1-D operand is a row (left) or column (right) and its dim is dropped
 * from the result. Every loop runs along rows, i outermost: p == 1 (matrix-vector) gets its own
 * loops since it is the RNN's hot path.
 */
const matmulOp = defineOp<{ m: number; n: number; p: number }>({
  name: 'Matmul',
  forward([a, b], { m, n, p }) {
    const A = a!.data, B = b!.data, C = new Float64Array(m * p);
    if (p === 1) {
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0, r = i * n; j < n; j++) s += A[r + j]! * B[j]!;
        C[i] = s;
      }
    } else {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const aij = A[i * n + j]!;
          for (let k = 0, r = i * p, q = j * p; k < p; k++) C[r + k] += aij * B[q + k]!;
        }
      }
    }
    const shape = a!.shape.length === 1 ? (b!.shape.length === 1 ? [] : [p]) : b!.shape.length === 1 ? [m] : [m, p];
    return new Tensor(C, shape);
  },
  backward(g, [ga, gb], [a, b], _out, { m, n, p }) {
    // dA[i,j] += sum_k g[i,k] B[j,k];  dB[j,k] += sum_i A[i,j] g[i,k]
    const A = a!.data, B = b!.data;
    if (p === 1) {
      for (let i = 0; i < m; i++) {
        const gi = g[i]!, r = i * n;
        if (ga) for (let j = 0; j < n; j++) ga[r + j] += gi * B[j]!;
        if (gb) for (let j = 0; j < n; j++) gb[j] += A[r + j]! * gi;
      }
      return;
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const r = i * p, q = j * p;
        if (ga) {
          let s = 0;
          for (let k = 0; k < p; k++) s += g[r + k]! * B[q + k]!;
          ga[i * n + j] += s;
        }
        if (gb) {
          const aij = A[i * n + j]!;
          for (let k = 0; k < p; k++) gb[q + k] += aij * g[r + k]!;
        }
      }
    }
  },
});

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
    const stride = x!.shape.length === 1 ? x!.data.length + 1 : x!.shape[1]! + 1;
    if (x!.shape.length === 1) for (let i = 0; i < gx!.length; i++) gx![i] += g[i * stride]!;
    else for (let i = 0; i < g.length; i++) gx![i * stride] += g[i]!;
  },
});

export function diag(x: Tensor): Tensor {
  asTensor('diag', x);
  if (x.shape.length !== 1 && x.shape.length !== 2) {
    throw new Error(`diag: expects a 1-D or 2-D tensor, got shape ${formatShape(x.shape)}`);
  }
  return diagOp([x], undefined);
}
