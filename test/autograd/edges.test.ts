// PyTorch's gradients at the edge points of FIELD-NOTES ("Gradient semantics at edge points").
import { describe, expect, it } from 'vitest';
import { abs, clamp, log, max, maximum, mean, minimum, mul, ones, pow, prod, relu, softmax, sum, tensor, type Nested, type Tensor } from '../../src/autograd/index.ts';

const leaf = (data: Nested) => tensor(data, { requiresGrad: true });

describe('edge points', () => {
  it("relu'(0) = 0", () => {
    const x = leaf(0);
    relu(x).backward();
    expect(x.grad?.item()).toBe(0);
  });
  it('relu lets a NaN through, as torch does (never a silent 0)', () => {
    const x = leaf([NaN, -1]);
    const y = relu(x);
    expect(y.data[0]).toBeNaN();
    y.backward(tensor([5, 5]));
    expect(x.grad?.tolist()).toEqual([5, 0]);
  });
  it('clamp passes the gradient at x == min and x == max', () => {
    const x = leaf([0, 2]);
    clamp(x, { min: 0, max: 2 }).sum().backward();
    expect(x.grad?.tolist()).toEqual([1, 1]);
  });
  it('prod with one zero: the product of the others at the zero, 0 elsewhere', () => {
    const x = leaf([2, 0, 4]);
    const y = prod(x);
    expect(y.item()).toBe(0);
    y.backward();
    expect(x.grad?.tolist()).toEqual([0, 8, 0]);
  });
  it('prod with two zeros: 0 everywhere', () => {
    const x = leaf([0, 3, 0]);
    prod(x).backward();
    expect(x.grad?.tolist()).toEqual([0, 0, 0]);
  });
  it('prod along a dim with zeros in some rows', () => {
    const x = leaf([[1, 2], [3, 0], [0, 0]]);
    const y = prod(x, 1);
    expect(y.tolist()).toEqual([2, 0, 0]);
    y.backward(tensor([1, 1, 1]));
    expect(x.grad?.tolist()).toEqual([[2, 1], [0, 3], [0, 0]]);
  });
  it('prod gradient is exact where dividing would not be (no y / x)', () => {
    const x = leaf([1e-200, 1e-200, 1e200]); // product underflows to 0 halfway
    prod(x).backward();
    expect(x.grad?.tolist()).toEqual([1e-200 * 1e200, 1e-200 * 1e200, 1e-200 * 1e-200]);
  });
  it('d/da pow(a, 0) = 0 everywhere, also at a = 0', () => {
    const a = leaf([0, 2, -3]);
    const y = pow(a, 0);
    expect(y.tolist()).toEqual([1, 1, 1]);
    y.sum().backward();
    expect(a.grad?.tolist()).toEqual([0, 0, 0]);
    const b = leaf([0, 2]), k = leaf([0, 0]);
    pow(b, k).sum().backward();
    expect(b.grad?.tolist()).toEqual([0, 0]);
  });
  it('d/db pow(a, b) is NaN at a < 0 and 0 at a == 0 with b >= 0', () => {
    const a = tensor([-2, 0, 0]), b = leaf([2, 0, 3]);
    pow(a, b).sum().backward();
    const [negative, zeroZero, zeroPositive] = b.grad!.data;
    expect(negative).toBeNaN();
    expect(zeroZero).toBe(0);
    expect(zeroPositive).toBe(0);
  });
  it('d/da pow(a, k) at a == 0 follows k a^(k-1): 0 for k > 1, infinite for k < 1', () => {
    const a = leaf([0]);
    pow(a, 2).sum().backward();
    expect(a.grad?.item()).toBe(0);
    const c = leaf([0]);
    pow(c, 0.5).sum().backward();
    expect(c.grad?.item()).toBe(Infinity);
  });
});

// Where the engine once departed from PyTorch 1.13 (each answer worked out from PyTorch's own
// backward formulas, and checked in PyTorch by the torch oracle).
describe('PyTorch on the rest of its domain', () => {
  const grads = (f: (...xs: Tensor[]) => Tensor, inputs: Nested[], seed?: Nested) => {
    const xs = inputs.map(leaf);
    const y = f(...xs);
    y.backward(seed ?? ones(...y.shape));
    return { y: y.tolist(), g: xs.map((x) => x.grad!.tolist()) };
  };

  it('a dim on a 0-d tensor: dim 0 and -1 reduce its one element; softmax gives 1 with gradient 0', () => {
    for (const f of [(x: Tensor) => sum(x, 0), (x: Tensor) => prod(x, -1), (x: Tensor) => mean(x, 0), (x: Tensor) => max(x, -1)]) {
      const out = grads(f, [3]);
      expect(out).toEqual({ y: 3, g: [1] });
    }
    expect(grads((x) => softmax(x, 0), [3])).toEqual({ y: 1, g: [0] }); // s (g - g s) = 1 (1 - 1)
    expect(() => sum(tensor(3), 1)).toThrow('sum: dim 1 out of range for shape []');
  });

  it("pow is C's pow: pow(1, NaN) = 1 with d/d(exponent) = 1 * log 1 = 0; pow(-1, ±Infinity) = 1", () => {
    const { y, g } = grads((a, b) => pow(a, b), [[1, -1, -1], [NaN, Infinity, -Infinity]]);
    expect(y).toEqual([1, 1, 1]);
    // d/da = b pow(a, b - 1): NaN, Infinity * 1, -Infinity * 1; d/db = y log a: 0, then log(-1) = NaN.
    expect(g[0]).toEqual([NaN, Infinity, -Infinity]);
    expect(g[1]).toEqual([0, NaN, NaN]);
  });

  it('pow with a number exponent of ±0.5 is a square root, as PyTorch: NaN at -Infinity', () => {
    expect(pow(tensor([-Infinity, 4]), 0.5).tolist()).toEqual([NaN, 2]);
    expect(pow(tensor([-Infinity, 4]), -0.5).tolist()).toEqual([NaN, 0.5]);
    expect(pow(tensor([-Infinity]), tensor([0.5])).tolist()).toEqual([Infinity]); // a tensor exponent: C's pow
  });

  it('maximum / minimum with a NaN operand: NaN, and the gradient goes to both', () => {
    expect(grads((a, b) => maximum(a, b), [[NaN, 1], [1, NaN]])).toEqual({ y: [NaN, NaN], g: [[1, 1], [1, 1]] });
    expect(grads((a, b) => minimum(a, b), [[NaN], [1]])).toEqual({ y: [NaN], g: [[1], [1]] });
  });

  it('max over NaN: the NaN wins and takes the gradient (several NaNs share it)', () => {
    expect(grads((x) => max(x), [[1, NaN, 3, NaN]])).toEqual({ y: NaN, g: [[0, 0.5, 0, 0.5]] });
    expect(grads((x) => max(x, 1), [[[1, NaN, 3], [2, 5, 5]]], [4, 2])).toEqual({ y: [NaN, 5], g: [[[0, 4, 0], [0, 1, 1]]] });
  });

  it("abs' at NaN is sgn(NaN) = 0", () => {
    expect(grads((x) => abs(x), [[NaN, -2, 0]])).toEqual({ y: [NaN, 2, 0], g: [[0, -1, 0]] });
  });

  it('an infinite upstream gradient is cut, not multiplied, where PyTorch masks: log(relu(x)) at x <= 0 has gradient 0', () => {
    // d log(r) = 1 / r = Infinity at r = 0; relu cuts it at x <= 0; at x = 2: 1 / 2.
    expect(grads((x) => log(relu(x)), [[-1, 0, 2]])).toEqual({ y: [-Infinity, -Infinity, Math.log(2)], g: [[0, 0, 0.5]] });
    expect(grads((x) => relu(x), [[-1, 1]], [Infinity, 1]).g).toEqual([[0, 1]]);
    expect(grads((a, b) => maximum(a, b), [[1], [2]], [Infinity]).g).toEqual([[0], [Infinity]]); // the losing side
    expect(grads((x) => pow(x, 0), [[0, 2]], [Infinity, Infinity]).g).toEqual([[0, 0]]);
    expect(grads((x) => clamp(x, { min: 0 }), [[-1]], [Infinity]).g).toEqual([[0]]);
    expect(grads((x) => prod(x), [[0, 0, 2]], Infinity).g).toEqual([[0, 0, 0]]); // PyTorch returns zeros
  });

  it('where PyTorch multiplies, an infinite gradient times 0 stays NaN (abs at 0, x * 0, prod along a dim, prod with one zero)', () => {
    expect(grads((x) => abs(x), [[0]], [Infinity]).g).toEqual([[NaN]]);
    expect(grads((x) => mul(x, 0), [[1]], [Infinity]).g).toEqual([[NaN]]);
    expect(grads((x) => pow(x, 2), [[0]], [Infinity]).g).toEqual([[NaN]]); // 2 * 0 = 0, multiplied
    expect(grads((x) => prod(x, 0), [[0, 0, 2]], Infinity).g).toEqual([[NaN, NaN, NaN]]);
    expect(grads((x) => prod(x), [[0, 3, 2]], Infinity).g).toEqual([[Infinity, NaN, NaN]]); // inf * 6, inf * 0
  });

  it('prod over ±Infinity or NaN without a zero: the exact product of the others (PyTorch divides and gets NaN): kept on purpose', () => {
    expect(grads((x) => prod(x), [[Infinity, 2, 3]]).g).toEqual([[6, Infinity, Infinity]]); // PyTorch: [NaN, inf, inf]
    expect(grads((x) => prod(x), [[NaN, 2, 3]]).g).toEqual([[6, NaN, NaN]]); // PyTorch: NaN everywhere
  });
});
