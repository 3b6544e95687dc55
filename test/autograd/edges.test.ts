// PyTorch's gradients at the edge points of FIELD-NOTES ("Gradient semantics at edge points").
import { describe, expect, it } from 'vitest';
import { clamp, pow, prod, relu, tensor, type Nested } from '../../src/autograd/index.ts';

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
