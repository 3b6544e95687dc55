// Engines with a planted bug, defined with the engine's own defineOp: every oracle must catch each.
import { Tensor, clamp, defineOp, mv, prod } from '../../src/autograd/index.ts';
import type { EngineOps } from '../../src/oracle/check.ts';

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

export const PLANTED: { bug: string; ops: EngineOps; properties: string[] }[] = [
  { bug: "relu'(0) = 1 (clamp-based relu)", ops: clampRelu, properties: ['op-relu', 'rnn-forward', 'rnn-loss'] },
  { bug: 'mv gradient with a transposed factor', ops: { mv: ([A, v]) => transposedMv([A as Tensor, v as Tensor], undefined) }, properties: ['op-mv', 'rnn-loss'] },
  { bug: 'exp gradient 0.02% off', ops: { exp: ([x]) => slightlyOffExp([x as Tensor], undefined) }, properties: ['op-exp'] },
  { bug: 'prod gradient that divides', ops: { prod: ([x], { dim }) => (dim === undefined ? dividingProd([x as Tensor], undefined) : prod(x as Tensor, dim)) }, properties: ['op-prod'] },
];
