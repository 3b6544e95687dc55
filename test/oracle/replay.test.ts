// The replay's error bounds: exact where the dyadic grid makes float32 exact, a derived bound
// (that holds) where it does not.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type LoadedTf } from '../../src/oracle/backend.ts';
import { checkGraph } from '../../src/oracle/check.ts';
import { agrees } from '../../src/oracle/compare.ts';
import type { Expr, Leaf } from '../../src/oracle/graph.ts';
import { replay } from '../../src/oracle/replay.ts';

const leaf = (shape: number[], ...values: number[]): Leaf => ({ op: 'leaf', value: { shape, data: Float64Array.from(values) } });

describe.each(['wasm', 'cpu'] as const)('replay bounds on %s', (backend) => {
  let oracle: LoadedTf;
  beforeAll(async () => {
    oracle = await loadBackend(backend);
  });

  it('a product of grid matrices is exact: value and both gradients, tolerance 0', () => {
    const A = leaf([2, 2], 0.5, -1.25, 2, 0.125), B = leaf([2, 1], 1.5, -0.75);
    const root: Expr = { op: 'matmul', args: [A, B] };
    const run = replay(oracle.tf, { root, seed: [1, -2] });
    // [0.5*1.5 + (-1.25)(-0.75), 2*1.5 + 0.125(-0.75)] = [1.6875, 2.90625]
    expect(Array.from(run.nodes.get(root)!.value)).toEqual([1.6875, 2.90625]);
    expect(run.nodes.get(root)!.exact).toBe(true);
    // dA = dy B^T = [[1.5, -0.75], [-3, 1.5]]; dB = A^T dy = [0.5 - 4, -1.25 - 0.25] = [-3.5, -1.5]
    expect(Array.from(run.grads.get(A)!.value)).toEqual([1.5, -0.75, -3, 1.5]);
    expect(Array.from(run.grads.get(B)!.value)).toEqual([-3.5, -1.5]);
    expect(run.grads.get(A)!.exact && run.grads.get(B)!.exact).toBe(true);
  });

  it('past 24 bits the grid no longer makes it exact: 4097^2 rounds in float32, within the bound', () => {
    const x = leaf([], 4097);
    const root: Expr = { op: 'mul', args: [x, x] };
    const node = replay(oracle.tf, { root, seed: [1] }).nodes.get(root)!;
    expect(node.exact).toBe(false);
    expect(node.value[0]).toBe(16785408); // 4097^2 = 16785409 has 25 significant bits
    expect(node.error[0]).toBeGreaterThanOrEqual(1);
    expect(agrees(16785409, node.value[0]!, node.error[0]!)).toBe(true);
    expect(checkGraph(oracle, { root, seed: [1] }).status).toBe('agree');
  });

  it('inexact smooth ops get a bound, not equality, and the engine lands inside it', () => {
    const x = leaf([3], 0.1, -2, 3);
    const root: Expr = { op: 'tanh', args: [{ op: 'exp', args: [x] }] };
    const run = replay(oracle.tf, { root, seed: [1] });
    expect(run.nodes.get(root)!.exact).toBe(false);
    expect(Math.max(...run.nodes.get(root)!.error)).toBeLessThan(1e-4);
    const verdict = checkGraph(oracle, { root, seed: [1] });
    expect(verdict.status).toBe('agree');
    expect(verdict.exactlyCompared).toBe(3); // the leaf's own values
  });

  it('a relu decision exactly at 0 on exact values is counted and compared', () => {
    const a = leaf([2], 0.5, -0.25), b = leaf([2], -0.5, 0.25);
    const root: Expr = { op: 'relu', args: [{ op: 'add', args: [a, b] }] }; // relu([0, 0])
    const verdict = checkGraph(oracle, { root, seed: [1] });
    expect(verdict).toMatchObject({ status: 'agree', decisions: 2, exactKinks: 2 });
  });
});
