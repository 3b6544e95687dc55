// Values and gradients of every op, each worked out by hand. Upstream gradients other than ones
// (g = [1, 10, 100] ...) make each element's gradient show which value it came from.
import { describe, expect, it } from 'vitest';
import {
  abs, add, at, clamp, diag, div, dot, exp, expand, eye, log, matmul, max, maximum, mean, minimum, mul, mv, neg, ones,
  pow, prod, relu, reshape, sigmoid, softmax, stack, sub, sum, tanh, tensor, zeros, type Nested, type Tensor,
} from '../../src/autograd/index.ts';

const leaf = (data: Nested) => tensor(data, { requiresGrad: true });
/** Runs backward from `y` with upstream gradient `g` and returns each input's grad as nested arrays. */
function gradsOf(y: Tensor, g: Nested, ...inputs: Tensor[]) {
  y.backward(tensor(g));
  return inputs.map((x) => x.grad?.tolist());
}

describe('creation', () => {
  it('reads numbers and nested arrays with their shapes', () => {
    expect(tensor(5).shape).toEqual([]);
    expect(tensor(5).item()).toBe(5);
    expect(tensor([[1, 2, 3], [4, 5, 6]]).shape).toEqual([2, 3]);
    expect([...tensor([[1, 2], [3, 4]]).data]).toEqual([1, 2, 3, 4]);
    expect(tensor([[[1], [2]]]).shape).toEqual([1, 2, 1]);
    expect(tensor(new Float64Array([1, 2])).tolist()).toEqual([1, 2]);
    expect(tensor(new Float32Array([0.5, 2])).tolist()).toEqual([0.5, 2]);
  });
  it('copies its input and starts as a leaf without grad', () => {
    const source = new Float64Array([1, 2]);
    const t = tensor(source);
    source[0] = 9;
    expect(t.tolist()).toEqual([1, 2]);
    expect(t.requiresGrad).toBe(false);
    expect(t.isLeaf).toBe(true);
    expect(t.grad).toBeNull();
  });
  it('makes zeros, ones, eye', () => {
    expect(zeros(2, 3).tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(zeros([2]).tolist()).toEqual([0, 0]);
    expect(zeros().shape).toEqual([]);
    expect(ones(2).tolist()).toEqual([1, 1]);
    expect(eye(3).tolist()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  });
  it('tolist and item', () => {
    expect(tensor(2.5).tolist()).toBe(2.5);
    expect(tensor([[2.5]]).item()).toBe(2.5);
  });
});

describe('elementwise', () => {
  const g = [1, 10, 100];
  it('add', () => {
    const a = leaf([1, 2, 3]), b = leaf([4, 5, 6]);
    const y = add(a, b);
    expect(y.tolist()).toEqual([5, 7, 9]);
    expect(gradsOf(y, g, a, b)).toEqual([g, g]);
  });
  it('sub', () => {
    const a = leaf([1, 2, 3]), b = leaf([4, 6, 8]);
    const y = sub(a, b);
    expect(y.tolist()).toEqual([-3, -4, -5]);
    expect(gradsOf(y, g, a, b)).toEqual([g, [-1, -10, -100]]);
  });
  it('mul', () => {
    const a = leaf([1, 2, 3]), b = leaf([4, 5, 6]);
    const y = mul(a, b);
    expect(y.tolist()).toEqual([4, 10, 18]);
    expect(gradsOf(y, g, a, b)).toEqual([[4, 50, 600], [1, 20, 300]]);
  });
  it('div', () => {
    const a = leaf([1, 2, 3]), b = leaf([2, 4, 8]);
    const y = div(a, b);
    expect(y.tolist()).toEqual([0.5, 0.5, 0.375]);
    // d/da = g / b; d/db = -g a / b^2
    expect(gradsOf(y, g, a, b)).toEqual([[0.5, 2.5, 12.5], [-0.25, -1.25, -4.6875]]);
  });
  it('neg', () => {
    const a = leaf([1, -2, 3]);
    const y = neg(a);
    expect(y.tolist()).toEqual([-1, 2, -3]);
    expect(gradsOf(y, g, a)).toEqual([[-1, -10, -100]]);
  });
  it('pow with a number exponent', () => {
    const x = leaf([1, 2, -1]);
    const y = pow(x, 3);
    expect(y.tolist()).toEqual([1, 8, -1]);
    expect(gradsOf(y, g, x)).toEqual([[3, 120, 300]]); // 3 x^2 g
  });
  it('pow with a tensor exponent', () => {
    const a = leaf([2, 4]), b = leaf([3, 0.5]);
    const y = pow(a, b);
    expect(y.tolist()).toEqual([8, 2]);
    const [da, db] = gradsOf(y, [1, 1], a, b) as number[][];
    expect(da).toEqual([12, 0.25]); // b a^(b-1): 3*4, 0.5/sqrt(4)
    expect(db![0]).toBeCloseTo(8 * Math.LN2, 14); // a^b ln a
    expect(db![1]).toBeCloseTo(2 * Math.log(4), 14);
  });
  it('exp and log', () => {
    const x = leaf([0, 1]);
    const y = exp(x);
    expect(y.tolist()).toEqual([1, Math.E]);
    expect(gradsOf(y, [2, 1], x)).toEqual([[2, Math.E]]);
    const z = leaf([1, 4]);
    const l = log(z);
    expect(l.tolist()).toEqual([0, Math.log(4)]);
    expect(gradsOf(l, [1, 1], z)).toEqual([[1, 0.25]]);
  });
  it('tanh and sigmoid', () => {
    const x = leaf([0, Math.LN2]); // tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6
    const y = tanh(x);
    expect(y.data[0]).toBe(0);
    expect(y.data[1]).toBeCloseTo(0.6, 15);
    const [dx] = gradsOf(y, [1, 1], x) as number[][];
    expect(dx![0]).toBe(1);
    expect(dx![1]).toBeCloseTo(0.64, 15); // 1 - 0.6^2
    const z = leaf([0, Math.log(3)]); // sigmoid(ln 3) = 1 / (1 + 1/3) = 0.75
    const s = sigmoid(z);
    expect(s.data[0]).toBe(0.5);
    expect(s.data[1]).toBeCloseTo(0.75, 15);
    const [dz] = gradsOf(s, [1, 1], z) as number[][];
    expect(dz![0]).toBe(0.25);
    expect(dz![1]).toBeCloseTo(0.1875, 15); // 0.75 * 0.25
  });
  it('relu, with gradient 0 at 0', () => {
    const x = leaf([-1, 0, 2]);
    const y = relu(x);
    expect(y.tolist()).toEqual([0, 0, 2]);
    expect(gradsOf(y, g, x)).toEqual([[0, 0, 100]]);
  });
  it('abs, with gradient 0 at 0', () => {
    const x = leaf([-2, 0, 3]);
    const y = abs(x);
    expect(y.tolist()).toEqual([2, 0, 3]);
    expect(gradsOf(y, g, x)).toEqual([[-1, 0, 100]]);
  });
  it('clamp passes the gradient inside its bounds, bounds included', () => {
    const x = leaf([-2, -1, 0, 1, 2]);
    const y = clamp(x, { min: -1, max: 1 });
    expect(y.tolist()).toEqual([-1, -1, 0, 1, 1]);
    expect(gradsOf(y, [1, 2, 3, 4, 5], x)).toEqual([[0, 2, 3, 4, 0]]);
  });
  it('clamp with one bound; min 0 passes the gradient at 0 (unlike relu)', () => {
    const x = leaf([-1, 0, 3]);
    const y = clamp(x, { min: 0 });
    expect(y.tolist()).toEqual([0, 0, 3]);
    expect(gradsOf(y, g, x)).toEqual([[0, 10, 100]]);
    const z = leaf([-1, 0, 3]);
    const w = clamp(z, { max: 0 });
    expect(w.tolist()).toEqual([-1, 0, 0]);
    expect(gradsOf(w, g, z)).toEqual([[1, 10, 0]]);
  });
  it('clamp with min == max passes the gradient only at x == min', () => {
    const x = leaf([0, 1, 2]);
    const y = clamp(x, { min: 1, max: 1 });
    expect(y.tolist()).toEqual([1, 1, 1]);
    expect(gradsOf(y, g, x)).toEqual([[0, 10, 0]]);
  });
  it('maximum and minimum split ties evenly', () => {
    const a = leaf([1, 2, 3]), b = leaf([3, 2, 1]);
    const y = maximum(a, b);
    expect(y.tolist()).toEqual([3, 2, 3]);
    expect(gradsOf(y, g, a, b)).toEqual([[0, 5, 100], [1, 5, 0]]);
    const c = leaf([1, 2, 3]), d = leaf([3, 2, 1]);
    const z = minimum(c, d);
    expect(z.tolist()).toEqual([1, 2, 1]);
    expect(gradsOf(z, g, c, d)).toEqual([[1, 5, 0], [0, 5, 100]]);
  });
});

describe('number operands and broadcasting', () => {
  it('takes a number on either side', () => {
    const x = leaf([1, 2]);
    const y = add(mul(x, 3), sub(1, x)); // 3x + 1 - x
    expect(y.tolist()).toEqual([3, 5]);
    expect(gradsOf(y, [1, 1], x)).toEqual([[2, 2]]);
    const z = leaf([2, 4]);
    const w = div(1, z);
    expect(w.tolist()).toEqual([0.5, 0.25]);
    expect(gradsOf(w, [1, 1], z)).toEqual([[-0.25, -0.0625]]); // -1 / z^2
  });
  it('broadcasts a []-shaped tensor and sums its gradient', () => {
    const s = leaf(2), x = leaf([1, 2, 3]);
    const y = mul(s, x);
    expect(y.tolist()).toEqual([2, 4, 6]);
    expect(gradsOf(y, [1, 10, 100], s, x)).toEqual([321, [2, 20, 200]]);
  });
  it('broadcasts a row over a matrix', () => {
    const a = leaf([[1, 2, 3], [4, 5, 6]]), b = leaf([10, 20, 30]);
    const y = add(a, b);
    expect(y.tolist()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(gradsOf(y, [[1, 2, 3], [4, 5, 6]], a, b)).toEqual([[[1, 2, 3], [4, 5, 6]], [5, 7, 9]]);
  });
  it('broadcasts a column against a row (outer product)', () => {
    const a = leaf([[1], [2]]), b = leaf([[1, 2, 3]]);
    const y = mul(a, b);
    expect(y.tolist()).toEqual([[1, 2, 3], [2, 4, 6]]);
    // da[i] = sum_j b[j] = 6; db[j] = sum_i a[i] = 3
    expect(gradsOf(y, [[1, 1, 1], [1, 1, 1]], a, b)).toEqual([[[6], [6]], [[3, 3, 3]]]);
  });
});

describe('products', () => {
  it('matmul 2-D @ 2-D', () => {
    const A = leaf([[1, 2], [3, 4]]), B = leaf([[5, 6], [7, 8]]);
    const C = matmul(A, B);
    expect(C.tolist()).toEqual([[19, 22], [43, 50]]);
    // dA = G B^T, dB = A^T G with G = [[1, 0], [0, 10]]
    expect(gradsOf(C, [[1, 0], [0, 10]], A, B)).toEqual([[[5, 7], [60, 80]], [[1, 30], [2, 40]]]);
  });
  it('matmul 2-D @ 1-D (and mv)', () => {
    const A = leaf([[1, 2, 3], [4, 5, 6]]), v = leaf([1, 0, -1]);
    const y = matmul(A, v);
    expect(y.shape).toEqual([2]);
    expect(y.tolist()).toEqual([-2, -2]);
    // dA = g v^T; dv = A^T g
    expect(gradsOf(y, [1, 10], A, v)).toEqual([[[1, 0, -1], [10, 0, -10]], [41, 52, 63]]);
    expect(mv(A, v).tolist()).toEqual([-2, -2]);
  });
  it('matmul 1-D @ 2-D', () => {
    const v = leaf([1, 2]), B = leaf([[1, 2, 3], [4, 5, 6]]);
    const y = matmul(v, B);
    expect(y.shape).toEqual([3]);
    expect(y.tolist()).toEqual([9, 12, 15]);
    expect(gradsOf(y, [1, 1, 1], v, B)).toEqual([[6, 15], [[1, 1, 1], [2, 2, 2]]]);
  });
  it('matmul 1-D @ 1-D and dot give shape []', () => {
    const a = leaf([1, 2, 3]), b = leaf([4, 5, 6]);
    const y = matmul(a, b);
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(32);
    y.backward();
    expect(a.grad?.tolist()).toEqual([4, 5, 6]);
    expect(b.grad?.tolist()).toEqual([1, 2, 3]);
    expect(dot(a, b).item()).toBe(32);
  });
  it('T transposes a matrix and leaves a vector alone', () => {
    const x = leaf([[1, 2, 3], [4, 5, 6]]);
    const y = x.T;
    expect(y.tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(gradsOf(y, [[1, 2], [3, 4], [5, 6]], x)).toEqual([[[1, 3, 5], [2, 4, 6]]]);
    const v = tensor([1, 2]);
    expect(v.T).toBe(v);
  });
  it('diag builds a diagonal matrix and reads a diagonal', () => {
    const v = leaf([1, 2]);
    const D = diag(v);
    expect(D.tolist()).toEqual([[1, 0], [0, 2]]);
    expect(gradsOf(D, [[1, 2], [3, 4]], v)).toEqual([[1, 4]]);
    const M = leaf([[1, 2, 3], [4, 5, 6]]);
    const d = diag(M);
    expect(d.tolist()).toEqual([1, 5]);
    expect(gradsOf(d, [10, 20], M)).toEqual([[[10, 0, 0], [0, 20, 0]]]);
  });
});

describe('reductions', () => {
  const x = () => leaf([[1, 2, 3], [4, 5, 6]]);
  it('sum over everything and along a dim (negative dims too)', () => {
    expect(sum(x()).item()).toBe(21);
    expect(sum(x(), 0).tolist()).toEqual([5, 7, 9]);
    expect(sum(x(), 1).tolist()).toEqual([6, 15]);
    expect(sum(x(), -1).tolist()).toEqual([6, 15]);
    expect(sum(x(), -2).tolist()).toEqual([5, 7, 9]);
    const a = x();
    expect(gradsOf(sum(a, 0), [1, 10, 100], a)).toEqual([[[1, 10, 100], [1, 10, 100]]]);
    const b = x();
    expect(gradsOf(sum(b, 1), [1, 10], b)).toEqual([[[1, 1, 1], [10, 10, 10]]]);
  });
  it('sum along the middle dim of a 3-D tensor', () => {
    const t = leaf([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    const y = sum(t, 1);
    expect(y.tolist()).toEqual([[4, 6], [12, 14]]);
    expect(gradsOf(y, [[1, 2], [3, 4]], t)).toEqual([[[[1, 2], [1, 2]], [[3, 4], [3, 4]]]]);
  });
  it('mean', () => {
    const a = leaf([[1, 2, 3], [4, 5, 9]]);
    const y = mean(a, 1);
    expect(y.tolist()).toEqual([2, 6]);
    expect(gradsOf(y, [3, 6], a)).toEqual([[[1, 1, 1], [2, 2, 2]]]);
    expect(mean(tensor([1, 2, 3, 6])).item()).toBe(3);
  });
  it('prod', () => {
    const a = leaf([2, 3, 4]);
    const y = prod(a);
    expect(y.item()).toBe(24);
    y.backward();
    expect(a.grad?.tolist()).toEqual([12, 8, 6]);
    const b = leaf([[1, 2], [3, 5]]);
    const z = prod(b, 1);
    expect(z.tolist()).toEqual([2, 15]);
    expect(gradsOf(z, [1, 10], b)).toEqual([[[2, 1], [50, 30]]]);
  });
  it('max splits the gradient evenly between tied maxima', () => {
    const a = leaf([1, 3, 3]);
    const y = max(a);
    expect(y.item()).toBe(3);
    y.backward();
    expect(a.grad?.tolist()).toEqual([0, 0.5, 0.5]);
    const b = leaf([[1, 5], [4, 2]]);
    const z = max(b, 0);
    expect(z.tolist()).toEqual([4, 5]);
    expect(gradsOf(z, [1, 10], b)).toEqual([[[0, 10], [1, 0]]]);
  });
  it('softmax along the last dim by default', () => {
    const x = leaf([0, Math.log(3)]); // e^0 : e^ln3 = 1 : 3
    const y = softmax(x);
    expect(y.data[0]).toBeCloseTo(0.25, 15);
    expect(y.data[1]).toBeCloseTo(0.75, 15);
    // dx = y (g - y.g) with g = [1, 0]: [0.25 * 0.75, 0.75 * -0.25]
    const [dx] = gradsOf(y, [1, 0], x) as number[][];
    expect(dx![0]).toBeCloseTo(0.1875, 15);
    expect(dx![1]).toBeCloseTo(-0.1875, 15);
    const m = softmax(tensor([[0, Math.log(3)], [Math.log(3), 0]]), 0); // along columns
    [0.25, 0.75, 0.75, 0.25].forEach((p, i) => expect(m.data[i]).toBeCloseTo(p, 15));
    const r = softmax(tensor([[7, 7, 7], [1, 1, 1]])); // equal values share evenly, whatever their size
    r.data.forEach((p) => expect(p).toBeCloseTo(1 / 3, 15));
  });
});

describe('movement', () => {
  it('at picks a slice, counts negative indices from the end, and routes the gradient back', () => {
    const x = leaf([[1, 2], [3, 4]]);
    expect(at(x, 0).tolist()).toEqual([1, 2]);
    const y = at(x, -1);
    expect(y.tolist()).toEqual([3, 4]);
    expect(gradsOf(y, [1, 10], x)).toEqual([[[0, 0], [1, 10]]]);
    const v = leaf([5, 6, 7]);
    const e = v.at(-3);
    expect(e.shape).toEqual([]);
    e.backward();
    expect(v.grad?.tolist()).toEqual([1, 0, 0]);
  });
  it('reshape keeps the row-major order; -1 is inferred', () => {
    const x = leaf([[1, 2, 3], [4, 5, 6]]);
    const y = reshape(x, 3, 2);
    expect(y.tolist()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(x.reshape([-1]).tolist()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(x.reshape(-1, 1).shape).toEqual([6, 1]);
    expect(gradsOf(y, [[1, 2], [3, 4], [5, 6]], x)).toEqual([[[1, 2, 3], [4, 5, 6]]]);
  });
  it('expand copies along stretched dims and sums the gradient back', () => {
    const x = leaf([[1], [2]]);
    const y = expand(x, [2, 2, 3]);
    expect(y.tolist()).toEqual([[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]]);
    expect(gradsOf(y, [[[1, 2, 3], [4, 5, 6]], [[1, 1, 1], [1, 1, 1]]], x)).toEqual([[[9], [18]]]);
  });
  it('stack adds a leading dimension', () => {
    const a = leaf([1, 2]), b = leaf([3, 4]);
    const y = stack([a, b]);
    expect(y.tolist()).toEqual([[1, 2], [3, 4]]);
    expect(gradsOf(y, [[1, 2], [3, 4]], a, b)).toEqual([[1, 2], [3, 4]]);
  });
});

describe('method forms', () => {
  it('chain like the contract shows', () => {
    const U = leaf([[1, 0], [0, 1]]), V = leaf([[0, 1], [1, 0]]);
    const x = tensor([1, -2]), h = tensor([3, 4]);
    const y = U.matmul(x).add(V.matmul(h)).clamp({ min: 0 }); // [1 + 4, -2 + 3]
    expect(y.tolist()).toEqual([5, 1]);
    y.at(0).backward();
    expect(U.grad?.tolist()).toEqual([[1, -2], [0, 0]]);
    expect(x.sum().item()).toBe(-1);
    expect(x.prod().item()).toBe(-2);
    expect(x.relu().tolist()).toEqual([1, 0]);
    expect(x.abs().neg().exp().log().tolist()).toEqual([-1, -2]);
    expect(h.sub(1).div(2).pow(2).mul(4).tolist()).toEqual([4, 9]);
    expect(x.maximum(0).minimum(0.5).tolist()).toEqual([0.5, 0]);
    expect(x.mean().item()).toBe(-0.5);
    expect(h.max().item()).toBe(4);
    expect(h.dot(x).item()).toBe(-5);
    expect(U.mv(h).tolist()).toEqual([3, 4]);
    expect(x.diag().tolist()).toEqual([[1, 0], [0, -2]]);
    expect(x.tanh().data[1]).toBe(Math.tanh(-2));
    expect(x.sigmoid().data[0]).toBe(1 / (1 + Math.exp(-1)));
    expect(h.softmax().data[0]).toBe(1 / (1 + Math.E));
  });
});
