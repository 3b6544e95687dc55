// The rules of recording and backward: accumulation, leaves, noGrad, detach, requiresGrad.
import { describe, expect, it } from 'vitest';
import { Tensor, add, defineOp, mul, noGrad, relu, sum, tensor, zeros, type Nested } from '../../src/autograd/index.ts';

const leaf = (data: Nested) => tensor(data, { requiresGrad: true });

describe('backward', () => {
  it("the notebook's h1 = relu(U x1 + V h0): h1 = [0.6, 0.1], dh1[0]/dU = [[0, 1], [0, 0]]", () => {
    const U = leaf([[-0.3, 0.6], [0.2, 0.1]]);
    const V = leaf([[0.4, 0.4], [0.9, -0.7]]);
    const x1 = tensor([0, 1]), h0 = tensor([0, 0]);
    // U x1 = [-0.3*0 + 0.6*1, 0.2*0 + 0.1*1] = [0.6, 0.1]; V h0 = 0; both positive, relu keeps them.
    const h1 = relu(U.matmul(x1).add(V.matmul(h0)));
    expect(h1.tolist()).toEqual([0.6, 0.1]);
    h1.at(0).backward();
    // dh1[0]/dU[0, j] = x1[j] (the relu is open: 0.6 > 0); row 1 does not reach h1[0].
    expect(U.grad?.tolist()).toEqual([[0, 1], [0, 0]]);
    // dh1[0]/dV[0, j] = h0[j] = 0.
    expect(V.grad?.tolist()).toEqual([[0, 0], [0, 0]]);
  });
  it('accumulates into leaves over several backward calls on the same graph', () => {
    const x = leaf([1, 2]);
    const y = sum(mul(x, x)); // dy/dx = 2x
    y.backward();
    expect(x.grad?.tolist()).toEqual([2, 4]);
    y.backward();
    expect(x.grad?.tolist()).toEqual([4, 8]);
    sum(mul(x, 3)).backward(); // another graph adds 3
    expect(x.grad?.tolist()).toEqual([7, 11]);
    x.grad = null; // torch's zero_grad(set_to_none=True)
    y.backward();
    expect(x.grad!.tolist()).toEqual([2, 4]);
  });
  it('sums the gradient over every path (a tensor used twice)', () => {
    const x = leaf(3);
    const y = add(mul(x, x), x); // x^2 + x: dy/dx = 2x + 1
    y.backward();
    expect(x.grad?.item()).toBe(7);
  });
  it('a leaf as the root gets the gradient itself', () => {
    const x = leaf([1, 2]);
    x.backward(tensor([3, 4]));
    expect(x.grad?.tolist()).toEqual([3, 4]);
  });
  it('takes an explicit gradient for a tensor with several elements', () => {
    const x = leaf([1, 2]);
    mul(x, x).backward([1, 10]);
    expect(x.grad?.tolist()).toEqual([2, 40]);
  });
  it('leaves the grad of non-leaves null, and of inputs that do not require grad', () => {
    const x = leaf([1, 2]), c = tensor([3, 4]);
    const h = mul(x, c);
    sum(h).backward();
    expect(h.grad).toBeNull();
    expect(c.grad).toBeNull();
    expect(x.grad?.tolist()).toEqual([3, 4]);
  });
  it("a defined op's forward may use other ops: they are not recorded", () => {
    const square = defineOp({
      name: 'Square',
      forward: ([x]) => mul(x!, x!),
      backward: (g, [gx], [x]) => g.forEach((gi, i) => (gx![i] += 2 * gi * x!.data[i]!)),
    });
    const x = leaf([3, -1]);
    const y = square([x], undefined);
    expect(y.tolist()).toEqual([9, 1]);
    expect(String(y)).toContain('grad_fn=<SquareBackward>');
    sum(y).backward();
    expect(x.grad?.tolist()).toEqual([6, -2]);
  });
  it('recovers from an op whose backward throws', () => {
    const failing = defineOp({
      name: 'Failing',
      forward: ([x]) => new Tensor(x!.data.slice(), x!.shape),
      backward: () => { throw new Error('Failing: no gradient'); },
    });
    const x = leaf([1, 2]);
    expect(() => sum(failing([x], undefined)).backward()).toThrow('Failing: no gradient');
    sum(mul(x, 2)).backward();
    expect(x.grad?.tolist()).toEqual([2, 2]);
  });
  it('runs a long chain without recursion', () => {
    const x = leaf(1);
    let y = x;
    for (let i = 0; i < 20_000; i++) y = mul(y, 1);
    y.backward();
    expect(x.grad?.item()).toBe(1);
  });
});

describe('recording', () => {
  it('records nothing when no input requires grad', () => {
    const y = add(tensor([1]), tensor([2]));
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(() => y.backward()).toThrow('backward: tensor of shape [1] does not require grad');
  });
  it('records nothing inside noGrad, and again afterwards', () => {
    const x = leaf([1, 2]);
    const inside = noGrad(() => mul(x, 2));
    expect(inside.requiresGrad).toBe(false);
    expect(inside.isLeaf).toBe(true);
    expect(mul(x, 2).requiresGrad).toBe(true);
  });
  it('restores recording after nested noGrad and after a throw', () => {
    const x = leaf(1);
    noGrad(() => noGrad(() => 0));
    expect(mul(x, 2).requiresGrad).toBe(true);
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(mul(x, 2).requiresGrad).toBe(true);
  });
  it('noGrad returns what fn returns and refuses async functions', () => {
    expect(noGrad(() => 42)).toBe(42);
    expect(() => noGrad(async () => 1)).toThrow('noGrad: fn returned a Promise');
  });
  it('detach gives a leaf sharing the data, through which no gradient flows', () => {
    const x = leaf([1, 2]);
    const h = mul(x, 2);
    const d = h.detach();
    expect(d.isLeaf).toBe(true);
    expect(d.requiresGrad).toBe(false);
    expect(d.data).toBe(h.data);
    const y = sum(add(mul(d, x), x)); // d x + x with d constant: dy/dx = d + 1
    y.backward();
    expect(x.grad?.tolist()).toEqual([3, 5]);
  });
  it('requiresGrad is settable on a leaf only', () => {
    const x = tensor([1, 2]);
    x.requiresGrad = true;
    const y = mul(x, x);
    expect(y.requiresGrad).toBe(true);
    expect(() => { y.requiresGrad = false; }).toThrow('requiresGrad: can only be set on a leaf tensor');
    x.requiresGrad = false;
    expect(mul(x, x).requiresGrad).toBe(false);
    const z = zeros(2);
    z.requiresGrad = true;
    sum(z).backward();
    expect(z.grad?.tolist()).toEqual([1, 1]);
  });
  it('prints like torch', () => {
    expect(String(tensor([[1, 2]]))).toBe('tensor([[1, 2]])');
    expect(String(leaf(1))).toBe('tensor(1, requiresGrad=true)');
    expect(String(relu(leaf([0.5])))).toBe('tensor([0.5], grad_fn=<ReluBackward>)');
  });
});
