/**
 * The engine against the oracle on one Graph: the engine builds and differentiates the graph in
 * float64 from float32-rounded leaves, tfjs replays it (replay.ts), and every node value and every
 * leaf gradient is compared with its derived tolerance (compare.ts).
 *
 * A case is left out of the comparison, and the reason counted, in three places only: a point the
 * op table declares outside (ops.ts, `outside`), a branch decision (relu, clamp, abs, a tie) that
 * float32 rounding could have flipped, and a finite engine value outside float32's normal range
 * (the oracle would overflow or flush where float64 does not).
 */
import * as engine from '../autograd/index.ts';
import { formatShape, sameShape } from '../autograd/shape.ts';
import type { LoadedTf } from './backend.ts';
import { disagreements, UNIT_ROUNDOFF, type Disagreement } from './compare.ts';
import { isLeaf, mapLeaves, seedValues, topological, type Expr, type Graph, type Leaf, type OpName } from './graph.ts';
import { eachGroup, OP_TABLE, type OpRule } from './ops.ts';
import { mayFlip, replay, type Decisions } from './replay.ts';
import type { TorchOracle } from './torch.ts';

/** An engine under test: the table's engine calls, with any op replaced (planted bugs in tests). */
export type EngineOps = Partial<Record<OpName, OpRule['engine']>>;

export interface Verdict {
  status: 'agree' | 'disagree' | 'excluded';
  /** Why a case was excluded, or what the engine threw. */
  reason?: string;
  disagreements: Disagreement[];
  /** Branch decisions compared (relu, clamp, abs, maximum/minimum, max), and those taken exactly at the kink. */
  decisions: number;
  exactKinks: number;
  /** Compared values (nodes and gradients) and how many of them were held to exact equality. */
  compared: number;
  exactlyCompared: number;
}

const F32_MAX = 3.4028234663852886e38;
const F32_MIN_NORMAL = 2 ** -126;

interface EngineRun {
  values: Map<Expr, Float64Array>;
  shapes: Map<Expr, number[]>;
  grads: Map<Leaf, Float64Array>;
  /** The gradient seeded at the root, filling its shape. */
  seed: Float64Array;
}

/** Builds the graph in the engine and runs backward(dy) from the root. */
export function runEngine({ root, seed }: Graph, ops: EngineOps = {}): EngineRun {
  const built = new Map<Expr, engine.Tensor>();
  const leaves: [Leaf, engine.Tensor][] = [];
  for (const e of topological(root)) {
    if (isLeaf(e)) {
      const t = new engine.Tensor(e.value.data.slice(), [...e.value.shape]);
      t.requiresGrad = true;
      leaves.push([e, t]);
      built.set(e, t);
    } else {
      const call = ops[e.op] ?? OP_TABLE[e.op].engine;
      built.set(e, call(e.args.map((a) => (typeof a === 'number' ? a : built.get(a)!)), e.attrs ?? {}));
    }
  }
  const out = built.get(root)!;
  const dy = seedValues(seed, out.size).map(Math.fround);
  out.backward(new engine.Tensor(dy, [...out.shape]));
  return {
    seed: dy,
    values: new Map([...built].map(([e, t]) => [e, t.data])),
    shapes: new Map([...built].map(([e, t]) => [e, t.shape])),
    grads: new Map(leaves.map(([l, t]) => [l, t.grad?.data ?? new Float64Array(t.size)])),
  };
}

const outsideFloat32 = (xs: Float64Array) => xs.some((x) => Number.isFinite(x) && (Math.abs(x) > F32_MAX || (x !== 0 && Math.abs(x) < F32_MIN_NORMAL)));

export function checkGraph({ tf }: LoadedTf, given: Graph, ops: EngineOps = {}): Verdict {
  const graph = mapLeaves(given, Math.fround); // both sides start from the same float32 inputs
  const verdict: Verdict = { status: 'agree', disagreements: [], decisions: 0, exactKinks: 0, compared: 0, exactlyCompared: 0 };
  let run: EngineRun;
  try {
    run = runEngine(graph, ops);
  } catch (error) {
    return { ...verdict, status: 'disagree', reason: `the engine threw: ${(error as Error).message}` };
  }
  const oracle = replay(tf, graph);
  if (oracle.outside) return { ...verdict, status: 'excluded', reason: oracle.outside };
  const flipped = compareDecisions(oracle.decisions, run, verdict);
  if (flipped) return { ...verdict, status: 'excluded', reason: flipped };
  const beyond = [...run.values].find(([, v]) => outsideFloat32(v));
  if (beyond) return { ...verdict, status: 'excluded', reason: `a value beyond float32's normal range (${beyond[0].op})` };

  const names = nodeNames(graph.root);
  const compare = (where: string, expected: Float64Array, bounded: { value: Float32Array; error: Float64Array; exact: boolean }) => {
    verdict.compared += expected.length;
    if (bounded.exact) verdict.exactlyCompared += expected.length;
    verdict.disagreements.push(...disagreements(where, expected, bounded.value, bounded.error));
  };
  for (const [e, value] of run.values) compare(`value of ${names.get(e)}`, value, oracle.nodes.get(e)!);
  for (const [l, grad] of run.grads) compare(`gradient of ${names.get(l)}`, grad, oracle.grads.get(l)!);
  if (verdict.disagreements.length > 0) verdict.status = 'disagree';
  return verdict;
}

/**
 * How a disagreement names where it is: `relu#2` for a node (its op and its place in topological
 * order), `leaf#0 (into mul#3, relu#4)` for a leaf, with the ops it feeds.
 */
function nodeNames(root: Expr): Map<Expr, string> {
  const order = topological(root);
  const names = new Map(order.map((e, i) => [e, isLeaf(e) ? `leaf#${i}` : `${e.op}#${i}`]));
  const consumers = new Map<Expr, string[]>();
  for (const e of order) if (!isLeaf(e)) for (const a of new Set(e.args)) if (typeof a === 'object') consumers.set(a, [...(consumers.get(a) ?? []), names.get(e)!]);
  for (const e of order) if (isLeaf(e) && consumers.has(e)) names.set(e, `${names.get(e)} (into ${consumers.get(e)!.join(', ')})`);
  return names;
}

/** float64's unit roundoff over float32's: the replay's float32 bounds, scaled to float64. */
const TO_FLOAT64 = 2 ** -53 / UNIT_ROUNDOFF;
/** Slack on those scaled bounds: both sides round (engine and PyTorch), and their libm differ by an ulp or so. */
const FLOAT64_SLACK = 4;

/**
 * Where the engine departs from PyTorch on purpose (README, "Fidelity"): a prod without a zero whose
 * product is ±Infinity, NaN or 0 (over- or underflow). PyTorch divides, g * y / x, and gets NaN or
 * a wrong finite value there; the engine keeps the exact product of the others.
 */
function deliberate(root: Expr, run: EngineRun): string | undefined {
  for (const e of topological(root)) {
    if (isLeaf(e) || e.op !== 'prod') continue;
    const x = run.values.get(e.args[0] as Expr)!, y = run.values.get(e)!;
    const shape = run.shapes.get(e.args[0] as Expr)!;
    let found = false, group = 0;
    if (shape.length > 0) {
      // PyTorch's prod of a 0-d tensor passes g through: no division there.
      eachGroup(shape, e.attrs?.dim, (indices) => {
        const p = y[group++]!;
        if (!indices.some((i) => x[i] === 0) && (!Number.isFinite(p) || p === 0)) found = true;
      });
    }
    if (found) return 'prod, no zero, product ±Inf/NaN/zero: PyTorch divides, the engine does not (deliberate)';
  }
  return undefined;
}

/**
 * The engine against PyTorch on one Graph, both in float64 from the same leaves. The tolerance is
 * the TensorFlow.js replay's derived float32 bound (replay.ts), scaled to float64: 0 where the
 * computation is exact on the dyadic grid, about (n+2)·2⁻⁵³·Σ|terms| elsewhere; NaN and ±Infinity
 * by position. Kept out, and counted: PyTorch's implementation-defined rules (torch.max(x, dim)
 * over a tie) and the engine's one deliberate departure (`deliberate`).
 */
export async function checkTorch(torch: TorchOracle, { tf }: LoadedTf, graph: Graph, ops: EngineOps = {}): Promise<Verdict> {
  const verdict: Verdict = { status: 'agree', disagreements: [], decisions: 0, exactKinks: 0, compared: 0, exactlyCompared: 0 };
  let run: EngineRun;
  try {
    run = runEngine(graph, ops);
  } catch (error) {
    return { ...verdict, status: 'disagree', reason: `the engine threw: ${(error as Error).message}` };
  }
  const theirs = await torch.replay(graph, run.seed);
  if (theirs.error) return { ...verdict, status: 'disagree', reason: `PyTorch refused the graph the engine computed: ${theirs.error}` };
  if (theirs.undefined) return { ...verdict, status: 'excluded', reason: theirs.undefined };
  const ours = deliberate(graph.root, run);
  if (ours) return { ...verdict, status: 'excluded', reason: ours };

  const bounds = replay(tf, graph);
  const order = topological(graph.root);
  const names = nodeNames(graph.root);
  const compare = (where: string, expected: Float64Array, actual: Float64Array, bound: { error: Float64Array; exact: boolean }) => {
    verdict.compared += expected.length;
    if (bound.exact) verdict.exactlyCompared += expected.length;
    const tolerance = bound.exact ? 0 : bound.error.map((e) => e * TO_FLOAT64 * FLOAT64_SLACK);
    verdict.disagreements.push(...disagreements(where, expected, actual, tolerance, 3, 'float64'));
  };
  order.forEach((e, i) => {
    const shape = run.shapes.get(e)!;
    if (!sameShape(shape, theirs.shapes[i]!)) {
      verdict.disagreements.push({ where: `shape of ${names.get(e)}: engine ${formatShape(shape)}, PyTorch ${formatShape(theirs.shapes[i]!)}`, index: -1, engine: NaN, oracle: NaN, tolerance: NaN });
    } else compare(`value of ${names.get(e)}`, run.values.get(e)!, theirs.values[i]!, bounds.nodes.get(e)!);
  });
  order.filter(isLeaf).forEach((l, i) => compare(`gradient of ${names.get(l)}`, run.grads.get(l)!, theirs.grads[i]!, bounds.grads.get(l)!));
  for (const { kinks } of bounds.decisions) {
    verdict.decisions += kinks.length;
    verdict.exactKinks += kinks.filter((k) => k.gap === 0).length;
  }
  if (verdict.disagreements.length > 0) verdict.status = 'disagree';
  return verdict;
}

/**
 * Reads the engine's branch decisions beside the oracle's. Where they differ and the oracle's
 * input lies within its float32 error of the kink, rounding decided it: the case is excluded
 * (returns why). Elsewhere differing decisions show up as differing values. Decisions both sides
 * take exactly at the kink are counted: they are what the kink-hitting generators are for.
 */
function compareDecisions(decisions: Decisions[], run: EngineRun, verdict: Verdict): string | undefined {
  for (const { node, kinks } of decisions) {
    const x = node.args.map((a) => (typeof a === 'number' ? a : run.values.get(a)!));
    const shapes = node.args.map((a) => (typeof a === 'number' ? [] : run.shapes.get(a)!));
    const err = x.map((v) => new Float64Array(typeof v === 'number' ? 1 : v.length));
    const engineKinks = OP_TABLE[node.op].kinks!({ attrs: node.attrs ?? {}, x, shapes, err, y: run.values.get(node)!, shape: run.shapes.get(node)! });
    verdict.decisions += kinks.length;
    for (let j = 0; j < kinks.length; j++) {
      const ours = engineKinks[j]!.gap, theirs = kinks[j]!;
      if (ours === 0 && theirs.gap === 0) verdict.exactKinks++;
      else if (Math.sign(ours) !== Math.sign(theirs.gap) && mayFlip(theirs)) {
        return `${node.op} decided on either side of its kink: engine gap ${ours}, oracle ${theirs.gap} within its float32 error ${theirs.err.toExponential(2)}`;
      }
    }
  }
  return undefined;
}
