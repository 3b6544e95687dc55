/**
 * The lab's computations in TensorFlow.js, for the graders to cross-check the reference solution.
 * Each one is a Graph (graph.ts) replayed by the oracle (replay.ts), so every answer comes with a
 * tolerance derived from the computation, and with the number of relu/clamp decisions that float32
 * rounding could have flipped (there the reference may rightly take the other branch).
 * TensorFlow.js loads once per process, on first use.
 */
import type { Plain, PlainTensor } from '../sandbox/protocol.ts';
import { isPlainTensor } from '../sandbox/protocol.ts';
import { loadBackend, type BackendName, type LoadedTf } from './backend.ts';
import { disagreements, formatDisagreement } from './compare.ts';
import type { Apply, Expr, Graph, Leaf, OpName } from './graph.ts';
import { mayFlip, replay, type Bounded, type Replay } from './replay.ts';

export interface OracleValue {
  value: PlainTensor;
  /** Bound on |oracle - exact| per element; all 0 where the computation is exact on the grid. */
  tolerance: Float64Array;
  exact: boolean;
  /** relu/clamp decisions within float32 error of their kink: the reference may take either branch. */
  undecided: number;
  backend: BackendName;
}

let loaded: Promise<LoadedTf> | undefined;

/** The oracle's TensorFlow.js, loaded on first use on the best backend (or the one last chosen). */
export function oracleBackend(): Promise<LoadedTf> {
  loaded ??= loadBackend();
  return loaded;
}

/** Runs the lab oracle on `backend` from now on (tests run it on each). */
export function useOracleBackend(backend: BackendName): Promise<LoadedTf> {
  loaded = loadBackend(backend);
  return loaded;
}

// ---- the lab's graphs ---------------------------------------------------------------------------

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

// ---- oracle answers ---------------------------------------------------------------------------

const answer = (bounded: Bounded, run: Replay, backend: BackendName): OracleValue => ({
  value: { shape: bounded.shape, data: Float64Array.from(bounded.value) },
  tolerance: bounded.error,
  exact: bounded.exact,
  undecided: run.decisions.reduce((n, d) => n + d.kinks.filter(mayFlip).length, 0),
  backend,
});

async function replayGraph(root: Expr, seed = [1]): Promise<{ run: Replay; backend: BackendName }> {
  const { tf, backend } = await oracleBackend();
  const graph: Graph = { root, seed };
  return { run: replay(tf, graph), backend };
}

/** The N outputs [N, dim] of the relu RNN from h0 = 0 (`forward`). */
export async function rnnForward(U: PlainTensor, V: PlainTensor, W: PlainTensor, input: PlainTensor): Promise<OracleValue> {
  const { outputs } = rnnGraph(U, V, W, input);
  const { run, backend } = await replayGraph(outputs);
  return answer(run.nodes.get(outputs)!, run, backend);
}

/** h1, o1, h2, o2 of two steps (`forwardByHand`). */
export async function rnnTwoSteps(U: PlainTensor, V: PlainTensor, W: PlainTensor, x1: PlainTensor, x2: PlainTensor, h0: PlainTensor) {
  const input: PlainTensor = { shape: [2, x1.data.length], data: Float64Array.of(...x1.data, ...x2.data) };
  const { h, o, outputs } = rnnGraph(U, V, W, input, h0);
  const { run, backend } = await replayGraph(outputs);
  const at = (e: Expr) => answer(run.nodes.get(e)!, run, backend);
  return { h1: at(h[0]!), o1: at(o[0]!), h2: at(h[1]!), o2: at(o[1]!) };
}

/** The probability of the one-hot sequence `seq` [N, V] under the bigram table `T` (`sequenceProbability`). */
export async function sequenceProbability(seq: PlainTensor, T: PlainTensor): Promise<OracleValue> {
  const root = bigramGraph(seq, T);
  if (root === undefined) {
    const { backend } = await oracleBackend();
    return { value: { shape: [], data: Float64Array.of(1) }, tolerance: new Float64Array(1), exact: true, undecided: 0, backend };
  }
  const { run, backend } = await replayGraph(root);
  return answer(run.nodes.get(root)!, run, backend);
}

/** The gradient of h1[0] wrt U, h1 = clamp(U x1 + V h0, min 0) (`gradH11WrtU`). */
export async function gradH11WrtU(U: PlainTensor, V: PlainTensor, x1: PlainTensor, h0: PlainTensor): Promise<OracleValue> {
  const u = leaf(U);
  const h1: Apply = { op: 'clamp', args: [op('add', op('mv', u, leaf(x1)), op('mv', leaf(V), leaf(h0)))], attrs: { min: 0 } };
  const root: Apply = { op: 'at', args: [h1], attrs: { index: 0 } };
  const { run, backend } = await replayGraph(root);
  return answer(run.grads.get(u)!, run, backend);
}

/** dL/dU of the scalar relu RNN, L = sum_t (x_{t+1} - o_t)^2 (`bpttGradU`), by tfjs's autodiff. */
export async function bpttGradU(U: number, V: number, W: number, x: number[], h0: number): Promise<OracleValue> {
  const { loss, U: u } = scalarLossGraph(U, V, W, x, h0);
  const { run, backend } = await replayGraph(loss);
  return answer(run.grads.get(u)!, run, backend);
}

// ---- comparing the reference with the oracle ------------------------------------------------------

/** Why `reference` (a number or a PlainTensor) disagrees with `oracle`, or null when it agrees. */
export function agree(reference: Plain, oracle: OracleValue, what = 'value'): string | null {
  const expected = typeof reference === 'number' ? Float64Array.of(reference) : isPlainTensor(reference) ? reference.data : undefined;
  if (expected === undefined) return `${what}: expected a number or a tensor, got ${JSON.stringify(reference)}`;
  const scalar = oracle.value.data.length === 1 && oracle.value.shape.length <= 1;
  if (!scalar && isPlainTensor(reference) && reference.shape.join() !== oracle.value.shape.join()) {
    return `${what}: shape [${reference.shape}] where the oracle has [${oracle.value.shape}]`;
  }
  const found = disagreements(what, expected, oracle.value.data, oracle.tolerance, 1);
  if (found.length === 0 || oracle.undecided > 0) return null; // an undecided kink: either branch is right
  return `${formatDisagreement(found[0]!)} (oracle on ${oracle.backend})`;
}

const tensorArg = (args: Plain[], i: number, name: string): PlainTensor => {
  const a = args[i];
  if (!isPlainTensor(a)) throw new Error(`oracle: argument ${i + 1} (${name}) must be a tensor`);
  return a;
};
const numberArg = (args: Plain[], i: number, name: string): number => {
  const a = args[i];
  if (typeof a !== 'number') throw new Error(`oracle: argument ${i + 1} (${name}) must be a number`);
  return a;
};

/**
 * Cross-checks the reference's `value` for `exportName(...args)` (the lab's calling convention,
 * CONTRACT.md section 3): why the oracle disagrees, or null. Exports the oracle does not model
 * (the bigram RNN constructions) give null.
 */
export async function crossCheck(exportName: string, args: Plain[], value: Plain): Promise<string | null> {
  const t = (i: number, name: string) => tensorArg(args, i, name);
  switch (exportName) {
    case 'forward':
      return agree(value, await rnnForward(t(2, 'U'), t(3, 'V'), t(4, 'W'), t(0, 'input')), 'forward');
    case 'forwardByHand': {
      const steps = await rnnTwoSteps(t(0, 'U'), t(1, 'V'), t(2, 'W'), t(3, 'x1'), t(4, 'x2'), t(5, 'h0'));
      const parts = value as Record<string, Plain>;
      for (const key of ['h1', 'o1', 'h2', 'o2'] as const) {
        const why = agree(parts?.[key] ?? null, steps[key], `forwardByHand ${key}`);
        if (why) return why;
      }
      return null;
    }
    case 'sequenceProbability':
      return agree(value, await sequenceProbability(t(0, 'seq'), t(1, 'T')), 'sequenceProbability');
    case 'gradH11WrtU':
      return agree(value, await gradH11WrtU(t(0, 'U'), t(1, 'V'), t(2, 'x1'), t(3, 'h0')), 'gradH11WrtU');
    case 'bpttGradU': {
      const x = args[3];
      if (!Array.isArray(x) || !x.every((v) => typeof v === 'number')) throw new Error('oracle: argument 4 (x) must be an array of numbers');
      const n = (i: number, name: string) => numberArg(args, i, name);
      return agree(value, await bpttGradU(n(0, 'U'), n(1, 'V'), n(2, 'W'), x as number[], n(4, 'h0')), 'bpttGradU');
    }
    default:
      return null;
  }
}
