// The lab's computations in TensorFlow.js, on answers worked out by hand, on both backends.
import { beforeAll, describe, expect, it } from 'vitest';
import { agree, bpttGradU, crossCheck, gradH11WrtU, rnnForward, sequenceProbability, useOracleBackend } from '../../src/oracle/lab.ts';
import type { PlainTensor } from '../../src/sandbox/protocol.ts';

const t = (shape: number[], ...values: number[]): PlainTensor => ({ shape, data: Float64Array.from(values) });
const U = t([2, 2], -0.3, 0.6, 0.2, 0.1);
const V = t([2, 2], 0.4, 0.4, 0.9, -0.7);
const W = t([2, 2], 0.5, -0.1, 0.2, 0.3);
const x1 = t([2], 0, 1), x2 = t([2], 1, 0), h0 = t([2], 0, 0);
const T = t([2, 2], 0.75, 0.25, 0.4, 0.6);
const a = [1, 0], b = [0, 1];

describe.each(['wasm', 'cpu'] as const)('lab oracle on %s', (backend) => {
  beforeAll(() => useOracleBackend(backend));

  it("forward on the notebook: o1 = W relu(U x1) = [0.29, 0.15], then o2", async () => {
    // h1 = relu([0.6, 0.1]) = [0.6, 0.1]; o1 = [0.5*0.6 - 0.1*0.1, 0.2*0.6 + 0.3*0.1] = [0.29, 0.15]
    // h2 = relu(U x2 + V h1) = relu([-0.3 + 0.28, 0.2 + 0.47]) = [0, 0.67]; o2 = [-0.067, 0.201]
    const out = await rnnForward(U, V, W, t([2, 2], 0, 1, 1, 0));
    expect(out.backend).toBe(backend);
    expect(out.value.shape).toEqual([2, 2]);
    expect(agree(t([2, 2], 0.29, 0.15, -0.067, 0.201), out)).toBeNull();
    expect(agree(t([2, 2], 0.29, 0.15, -0.067, 0.2011), out)).toMatch(/forward|value/);
    expect(Math.max(...out.tolerance)).toBeLessThan(1e-5);
  });

  it('gradH11WrtU on the notebook: [[0, 1], [0, 0]] (row 0 is x1, the relu is open)', async () => {
    const grad = await gradH11WrtU(U, V, x1, h0);
    expect(Array.from(grad.value.data)).toEqual([0, 1, 0, 0]);
    expect(agree(t([2, 2], 0, 1, 0, 0), grad)).toBeNull();
  });

  it('gradH11WrtU at the kink: clamp passes the gradient at 0 (PyTorch), exactly', async () => {
    // U x1 = [0, 0.5]: h1[0] sits on the clamp's bound, whose gradient is 1 there.
    const grad = await gradH11WrtU(t([2, 2], 1, 0, 0, 0.5), t([2, 2], 0, 0, 0, 0), t([2], 0, 1), h0);
    expect(Array.from(grad.value.data)).toEqual([0, 1, 0, 0]);
    expect(grad.exact).toBe(true);
  });

  it("sequenceProbability: 'aab' is T[a,a] T[a,b] = 0.1875; one word gives 1", async () => {
    const p = await sequenceProbability(t([3, 2], ...a, ...a, ...b), T);
    expect(agree(0.1875, p)).toBeNull();
    expect(p.exact).toBe(false); // 0.4 and 0.6 are not float32 values
    const onGrid = await sequenceProbability(t([3, 2], ...a, ...a, ...b), t([2, 2], 0.75, 0.25, 0.375, 0.625));
    expect(onGrid.value.data[0]).toBe(0.1875);
    expect(onGrid.exact).toBe(true);
    const one = await sequenceProbability(t([1, 2], ...b), T);
    expect(one.value.data[0]).toBe(1);
  });

  it('bpttGradU: U=1, V=0, W=1, x=[1, 2]: L = (o1 - x2)^2 = 1, dL/dU = 2 (o1 - x2) x1 = -2', async () => {
    const g = await bpttGradU(1, 0, 1, [1, 2], 0);
    expect(g.value.data[0]).toBe(-2);
    expect(g.exact).toBe(true);
  });

  it('bpttGradU: a pre-activation exactly 0 takes relu\'(0) = 0', async () => {
    // h1 = relu(1*0 + 0) = 0 exactly: no gradient reaches U through step 1; step 2: h2 = relu(1*1) = 1,
    // o2 = 1, L = (0 - 1)^2... x = [0, 1, 1]: L = (o1 - 1)^2 + (o2 - 1)^2 = 1 + 0; dL/dU = 2(o1-1)*0 + 2(o2-1)*x2 = 0
    const g = await bpttGradU(1, 1, 1, [0, 1, 1], 0);
    expect(g.value.data[0]).toBe(0);
  });

  it('crossCheck explains a wrong reference value and accepts the right one', async () => {
    expect(await crossCheck('gradH11WrtU', [U, V, x1, h0], t([2, 2], 0, 1, 0, 0))).toBeNull();
    expect(await crossCheck('gradH11WrtU', [U, V, x1, h0], t([2, 2], 1, 0, 0, 0))).toMatch(/engine 1, oracle 0/);
    expect(await crossCheck('sequenceProbability', [t([2, 2], ...b, ...a), T], 0.4)).toBeNull();
    expect(await crossCheck('bpttGradU', [1, 0, 1, [1, 2], 0], -2)).toBeNull();
    expect(await crossCheck('forwardByHand', [U, V, W, x1, x2, h0], { h1: t([2], 0.6, 0.1), o1: t([2], 0.29, 0.15), h2: t([2], 0, 0.67), o2: t([2], -0.067, 0.201) })).toBeNull();
    expect(await crossCheck('forwardByHand', [U, V, W, x1, x2, h0], { h1: t([2], 0.6, 0.1), o1: t([2], 0.29, 0.15), h2: t([2], 0, 0.67), o2: t([2], 0.067, 0.201) })).toMatch(/o2/);
  });

  it('crossCheck refuses arguments of the wrong kind with a clear message', async () => {
    await expect(crossCheck('bpttGradU', [1, 0, 1, 'x', 0], 0)).rejects.toThrow(/argument 4 \(x\) must be an array of numbers/);
  });
});
