// Each row of the op table that builds around a tfjs/PyTorch difference: tfjs alone really differs
// there, and the replay gives PyTorch's answer (worked out by hand).
import type { Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type LoadedTf, type Tf } from '../../src/oracle/backend.ts';
import { checkGraph } from '../../src/oracle/check.ts';
import type { Attrs, Expr, Graph, Leaf, OpName } from '../../src/oracle/graph.ts';
import { DIVERGENCES } from '../../src/oracle/ops.ts';
import { replay } from '../../src/oracle/replay.ts';

const leaf = (shape: number[], ...values: number[]): Leaf => ({ op: 'leaf', value: { shape, data: Float64Array.from(values) } });
const apply = (op: OpName, args: (Expr | number)[], attrs?: Attrs): Expr => ({ op, args, ...(attrs && { attrs }) });

describe.each(['wasm', 'cpu'] as const)('divergences on %s', (backend) => {
  let oracle: LoadedTf;
  let tf: Tf; // TensorFlow.js alone, as the oracle loads it
  beforeAll(async () => {
    oracle = await loadBackend(backend);
    tf = oracle.tf;
  });
  const rawGrad = (f: (x: Tensor) => Tensor, x: number[]) => Array.from(tf.grad(f)(tf.tensor1d(x)).dataSync());
  const gradients = (graph: Graph, ...leaves: Leaf[]) => {
    const run = replay(oracle.tf, graph);
    return leaves.map((l) => Array.from(run.grads.get(l)!.value));
  };

  it("abs'(0) is 0 (tfjs alone: -1)", () => {
    expect(rawGrad((x) => tf.abs(x), [0])).toEqual([-1]);
    const x = leaf([3], 0, -1, 2);
    expect(gradients({ root: apply('abs', [x]), seed: [1] }, x)).toEqual([[0, -1, 1]]);
  });

  it('maximum and minimum split a tie 0.5 / 0.5 (tfjs alone: 1 / 0)', () => {
    const a = leaf([2], 1, 2), b = leaf([2], 1, 0);
    expect(gradients({ root: apply('maximum', [a, b]), seed: [1] }, a, b)).toEqual([[0.5, 1], [0.5, 0]]);
    expect(gradients({ root: apply('minimum', [a, b]), seed: [1] }, a, b)).toEqual([[0.5, 0], [0.5, 1]]);
    const [ga, gb] = tf.grads((p: Tensor, q: Tensor) => tf.maximum(p, q))([tf.scalar(1), tf.scalar(1)]);
    expect([ga!.dataSync()[0], gb!.dataSync()[0]]).toEqual([1, 0]);
  });

  it('max shares the gradient among tied maxima (tfjs alone: each gets all of it)', () => {
    expect(rawGrad((x) => tf.max(x), [3, 1, 3])).toEqual([1, 0, 1]);
    const x = leaf([3], 3, 1, 3);
    expect(gradients({ root: apply('max', [x]), seed: [1] }, x)).toEqual([[0.5, 0, 0.5]]);
    const m = leaf([2, 3], 3, 1, 3, 0, 2, 2);
    expect(gradients({ root: apply('max', [m], { dim: 1 }), seed: [1, 4] }, m)).toEqual([[0.5, 0, 0.5, 0, 2, 2]]);
  });

  it('pow(x, 0) has gradient 0 at x = 0 (tfjs alone: NaN)', () => {
    expect(rawGrad((x) => tf.pow(x, tf.scalar(0)), [0])).toEqual([NaN]);
    const x = leaf([2], 0, 3);
    const run = replay(oracle.tf, { root: apply('pow', [x], { k: 0 }), seed: [1] });
    expect(Array.from(run.nodes.get(run.nodes.keys().next().value!)!.value)).toEqual([0, 3]);
    expect(Array.from(run.grads.get(x)!.value)).toEqual([0, 0]);
  });

  it('clamp with min == max passes the gradient where x == min (tfjs alone: throws)', () => {
    expect(() => rawGrad((x) => tf.clipByValue(x, 0.5, 0.5), [0.5])).toThrow();
    const x = leaf([3], 0.5, 1, -2);
    const root = apply('clamp', [x], { min: 0.5, max: 0.5 });
    const run = replay(oracle.tf, { root, seed: [1] });
    expect(Array.from(run.nodes.get(root)!.value)).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(run.grads.get(x)!.value)).toEqual([1, 0, 0]);
  });

  it('diag is differentiable: d sum(diag(v) * G) / dv = the diagonal of G (tfjs alone: no gradient)', () => {
    expect(() => rawGrad((v) => tf.diag(v), [1, 2])).toThrow();
    const v = leaf([2], 1, 2);
    expect(gradients({ root: apply('diag', [v]), seed: [1, 2, 3, 4] }, v)).toEqual([[1, 4]]);
  });

  it('softmax along a dimension that is not the last (tfjs alone: throws)', () => {
    expect(() => tf.softmax(tf.tensor2d([[0, 1], [0, 1]]), 0)).toThrow();
    const x = leaf([2, 2], 0, 1, 0, 1); // each column holds two equal values: 0.5 each
    const root = apply('softmax', [x], { dim: 0 });
    expect(Array.from(replay(oracle.tf, { root, seed: [1] }).nodes.get(root)!.value)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('at(i) takes its gradient through slice, also on wasm (tf.gather has none there)', () => {
    const x = leaf([2, 2], 1, 2, 3, 4);
    expect(gradients({ root: apply('at', [x], { index: -1 }), seed: [5, 6] }, x)).toEqual([[0, 0, 5, 6]]);
  });

  it('a zero divisor is kept out of the comparison, with its reason', () => {
    const verdict = checkGraph(oracle, { root: apply('div', [leaf([2], 0, 1), leaf([], 0)]), seed: [1] });
    expect(verdict.status).toBe('excluded');
    expect(verdict.reason).toBe('div by a zero divisor');
  });

  it('the table documents every row it builds around', () => {
    expect(DIVERGENCES.map((d) => d.op).sort()).toEqual(['abs', 'at', 'clamp', 'diag', 'div', 'max', 'maximum', 'minimum', 'pow', 'softmax']);
  });
});
