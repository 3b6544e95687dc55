/**
 * The engine-vs-oracle properties: each op alone (shapes, broadcasting, kinks), the lab's
 * computations (the RNN forward over N steps and its loss, the bigram probability, the scalar
 * BPTT loss), and random expression graphs where composition bugs show.
 * Each is a graph generator; src/oracle/verify.ts runs them against an oracle: TensorFlow.js
 * (`ENGINE_PROPERTIES`, float32's finite domain) or PyTorch (`TORCH_PROPERTIES`, the whole domain:
 * NaN and ±Infinity among the inputs, a dim on 0-d tensors, log(relu(x))).
 */
import fc from 'fast-check';
import { graph, labelGraph, labelOpGraph, opGraph } from '../../generators/graphs.ts';
import { bigramCase, labelBigramCase, type BigramCase } from '../rnn/generators/bigram.ts';
import { labelRnnCase, labelScalarRnnCase, rnnCase, scalarRnnCase, type RnnCase, type ScalarRnnCase } from '../rnn/generators/rnn.ts';
import { dyadic } from '../../generators/values.ts';
import { OPS, type Apply, type Expr, type Graph } from '../../src/oracle/graph.ts';
import { bigramGraph, rnnGraph, scalarLossGraph } from './lab-graphs.ts';
import type { GraphProperty } from '../../src/oracle/verify.ts';

export interface EngineProperty<Case = any> extends GraphProperty<Case> {
  /** Share of --runs this property gets (cheap one-op properties run fewer). */
  weight: number;
}

const self = (g: Graph) => g;

const perOp = (nonFinite: boolean): EngineProperty<Graph>[] =>
  OPS.map((op) => ({
    id: `op-${op}`,
    title: `${op}: values and gradients match the oracle over shapes, broadcasting and kinks${nonFinite ? ', NaN and ±Infinity' : ''}`,
    cases: opGraph(op, { nonFinite }),
    graph: self,
    label: labelOpGraph,
    weight: 0.5,
  }));

interface RnnLossCase {
  rnn: RnnCase;
  seed: number[];
}

const rnnCases = fc.record({ rnn: rnnCase(), seed: fc.array(dyadic({ min: -2, max: 2 }), { minLength: 1, maxLength: 8 }) });

/** The lab's loss: sum_t ||o_t - x_{t+1}||^2 over the steps that have a next input (N >= 2). */
function rnnLoss({ U, V, W, input }: RnnCase): Expr {
  const { o, leaves } = rnnGraph(U, V, W, input);
  const terms = o.slice(0, -1).map((ot, t): Apply => ({
    op: 'pow',
    args: [{ op: 'sub', args: [ot, { op: 'at', args: [leaves.input], attrs: { index: t + 1 } }] }],
    attrs: { k: 2 },
  }));
  return { op: 'sum', args: [{ op: 'stack', args: terms }] };
}

const labProperties: EngineProperty[] = [
  {
    id: 'rnn-forward',
    title: "the lab's RNN forward over N steps (dim 1..32, N 1..64): every h_t, o_t and the gradients of U, V, W, input",
    cases: rnnCases,
    graph: ({ rnn: { U, V, W, input }, seed }: RnnLossCase) => ({ root: rnnGraph(U, V, W, input).outputs, seed }),
    label: ({ rnn }: RnnLossCase) => labelRnnCase(rnn),
    weight: 0.5,
  },
  {
    id: 'rnn-loss',
    title: "the lab's loss sum_t (x_{t+1} - o_t)^2 and its gradients (BPTT through relu)",
    cases: rnnCase().filter((c) => c.N >= 2),
    graph: (c: RnnCase) => ({ root: rnnLoss(c), seed: [1] }),
    label: labelRnnCase,
    weight: 0.5,
  },
  {
    id: 'bigram',
    title: "the lab's sequence probability prod_t T[w_t, w_{t+1}] (N >= 2) and its gradient wrt T",
    cases: bigramCase({ minLength: 2 }),
    graph: ({ seq, T }: BigramCase) => ({ root: bigramGraph(seq, T)!, seed: [1] }),
    label: labelBigramCase,
    weight: 0.5,
  },
  {
    id: 'bptt-scalar',
    title: "the optional task's scalar RNN loss and dL/dU through relu (BPTT)",
    cases: scalarRnnCase(),
    graph: ({ U, V, W, x, h0 }: ScalarRnnCase) => ({ root: scalarLossGraph(U, V, W, x, h0).loss, seed: [1] }),
    label: labelScalarRnnCase,
    weight: 0.5,
  },
];

const graphs = (nonFinite: boolean): EngineProperty<Graph> => ({
  id: 'graphs',
  title: `random expression graphs over the whole op set, with fan-out${nonFinite ? ', NaN and ±Infinity among leaves and seeds' : ''}`,
  cases: graph({ nonFinite }),
  graph: self,
  label: labelGraph,
  weight: 1,
});

/** Against TensorFlow.js: finite inputs (float32's domain). */
export const ENGINE_PROPERTIES: EngineProperty[] = [...perOp(false), ...labProperties, graphs(false)];
/** Against PyTorch: the same properties over the whole domain. */
export const TORCH_PROPERTIES: EngineProperty[] = [...perOp(true), ...labProperties, graphs(true)];
