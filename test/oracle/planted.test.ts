// The oracle is shown able to fail: engines with a planted bug (defined with the engine's own
// defineOp) are caught, shrunk, and their counterexample replays from the printed seed and path.
import { beforeAll, describe, expect, it } from 'vitest';
import { Tensor, clamp, defineOp, mv, prod } from '../../src/autograd/index.ts';
import { ENGINE_PROPERTIES } from '../../specs/engine/index.ts';
import { loadBackend } from '../../src/oracle/backend.ts';
import type { EngineOps } from '../../src/oracle/check.ts';
import { tfjsOracle, verifyProperty, type Oracle } from '../../src/oracle/verify.ts';

const property = (id: string) => ENGINE_PROPERTIES.find((p) => p.id === id)!;

/** relu written as clamp(x, min 0), as the notebook does: its gradient at 0 is 1, torch.relu's is 0. */
const clampRelu: EngineOps = { relu: ([x]) => clamp(x as Tensor, { min: 0 }) };

/** mv whose vector gradient multiplies by A instead of A^T (a transposed factor). */
const transposedMv = defineOp({
  name: 'TransposedMv',
  forward([A, v]) {
    return new Tensor(mv(A!.detach(), v!.detach()).data, [A!.shape[0]!]);
  },
  backward(g, [gA, gv], [A, v]) {
    const [m, k] = A!.shape as [number, number];
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) if (gA) gA[i * k + j] += g[i]! * v!.data[j]!;
    // correct: gv[j] += A[i][j] g[i]; planted: A[j][i], read where it exists
    for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) if (gv) gv[j] += (A!.data[j * m + i] ?? 0) * g[i]!;
  },
});

/** prod whose gradient divides the product by each element: wrong (0/0) wherever an element is 0. */
const dividingProd = defineOp({
  name: 'DividingProd',
  forward([x]) {
    return new Tensor(prod(x!.detach()).data, []);
  },
  backward(g, [gx], [x], y) {
    for (let i = 0; i < x!.data.length; i++) gx![i] += (g[0]! * y.data[0]!) / x!.data[i]!;
  },
});

/** exp whose gradient is 0.02% too large: far below any fixed 1e-3 tolerance, above the derived one. */
const slightlyOffExp = defineOp({
  name: 'SlightlyOffExp',
  forward([x]) {
    return new Tensor(x!.data.map(Math.exp), [...x!.shape]);
  },
  backward(g, [gx], _inputs, y) {
    for (let i = 0; i < g.length; i++) gx![i] += g[i]! * y.data[i]! * (1 + 2 ** -12);
  },
});

const PLANTED: { bug: string; ops: EngineOps; properties: string[] }[] = [
  { bug: "relu'(0) = 1 (clamp-based relu)", ops: clampRelu, properties: ['op-relu', 'rnn-forward', 'rnn-loss'] },
  { bug: 'mv gradient with a transposed factor', ops: { mv: ([A, v]) => transposedMv([A as Tensor, v as Tensor], undefined) }, properties: ['op-mv', 'rnn-loss'] },
  { bug: 'exp gradient 0.02% off', ops: { exp: ([x]) => slightlyOffExp([x as Tensor], undefined) }, properties: ['op-exp'] },
  { bug: 'prod gradient that divides', ops: { prod: ([x], { dim }) => (dim === undefined ? dividingProd([x as Tensor], undefined) : prod(x as Tensor, dim)) }, properties: ['op-prod'] },
];

describe.each(['wasm', 'cpu'] as const)('planted bugs on %s', (backend) => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = tfjsOracle(await loadBackend(backend));
  });

  describe.each(PLANTED)('$bug', ({ ops, properties }) => {
    it.each(properties)('is caught by %s, and the counterexample replays', async (id) => {
      const report = await verifyProperty(oracle, property(id), { runs: 100, seed: 7, ops });
      expect(report.failure, `${id} missed the planted bug`).toBeDefined();
      const { seed, path, message } = report.failure!;
      expect(message).toMatch(/gradient of leaf|value of/);
      const replayed = await verifyProperty(oracle, property(id), { runs: 1, seed, path, ops });
      expect(replayed.failure?.counterexample).toBe(report.failure!.counterexample);
      // The real engine passes the very same case.
      expect((await verifyProperty(oracle, property(id), { runs: 1, seed, path })).failure).toBeUndefined();
    });
  });
});
