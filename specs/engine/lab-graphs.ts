/**
 * The recurrent-network lab's computations as oracle graphs: typical workloads for checking the
 * engine against the oracles (an RNN over N steps, a bigram product, the scalar BPTT loss).
 */
import type { PlainTensor } from '../../src/sandbox/protocol.ts';
import type { Apply, Expr, Leaf, OpName } from '../../src/oracle/graph.ts';

const leaf = (value: PlainTensor): Leaf => ({ op: 'leaf', value });
const op = (name: OpName, ...args: (Expr | number)[]): Apply => ({ op: name, args });
const scalarLeaf = (x: number) => leaf({ shape: [], data: Float64Array.of(x) });

/** h_t = relu(U x_t + V h_{t-1}), o_t = W h_t over the rows of `input`; h0 defaults to zeros. */
export function rnnGraph(U: PlainTensor, V: PlainTensor, W: PlainTensor, input: PlainTensor, h0?: PlainTensor) {
  const [N, dim] = input.shape as [number, number];
  const leaves = { U: leaf(U), V: leaf(V), W: leaf(W), input: leaf(input), h0: leaf(h0 ?? { shape: [dim], data: new Float64Array(dim) }) };
  const h: Expr[] = [], o: Expr[] = [];
  let previous: Expr = leaves.h0;
  for (let t = 0; t < N; t++) {
    const x: Apply = { op: 'at', args: [leaves.input], attrs: { index: t } };
    previous = op('relu', op('add', op('mv', leaves.U, x), op('mv', leaves.V, previous)));
    h.push(previous);
    o.push(op('mv', leaves.W, previous));
  }
  return { leaves, h, o, outputs: op('stack', ...o) };
}

/** prod_t T[w_t, w_{t+1}] as (x_t T) . x_{t+1}; undefined for N = 1 (the empty product, 1). */
export function bigramGraph(seq: PlainTensor, T: PlainTensor): Expr | undefined {
  const words = leaf(seq), table = leaf(T);
  const row = (t: number): Apply => ({ op: 'at', args: [words], attrs: { index: t } });
  const steps = Array.from({ length: seq.shape[0]! - 1 }, (_, t) => op('dot', op('matmul', row(t), table), row(t + 1)));
  return steps.length === 0 ? undefined : op('prod', op('stack', ...steps));
}

/** The optional task's scalar RNN: L = sum_t (o_t - x_{t+1})^2 with relu; returns L and the leaf U. */
export function scalarLossGraph(U: number, V: number, W: number, x: number[], h0: number) {
  const u = scalarLeaf(U), v = scalarLeaf(V), w = scalarLeaf(W);
  let h: Expr = scalarLeaf(h0);
  const terms: Expr[] = [];
  for (let t = 0; t + 1 < x.length; t++) {
    h = op('relu', op('add', op('mul', u, x[t]!), op('mul', v, h)));
    terms.push({ op: 'pow', args: [op('sub', op('mul', w, h), x[t + 1]!)], attrs: { k: 2 } });
  }
  if (terms.length === 0) throw new Error('bpttGradU: x needs at least two values (x_1 and x_2)');
  return { loss: op('sum', op('stack', ...terms)), U: u };
}

