/**
 * Replays a Graph in TensorFlow.js: the value of every node, the gradient of every leaf, and for
 * each of them a bound on its float32 error, all from the oracle's side alone.
 *
 * The bound follows the classic analysis of a float32 sum of n products, (n+2)·u·Σ|terms|
 * (u = 2^-24), carried through the graph: each node gets a magnitude M (a bound on Σ|terms|,
 * computed by the table's `magnitude` op over the inputs' M, in a second tfjs pass) and a count K
 * of rounding steps behind it; its error is at most 2·K·u·M (2: slack for first-order terms).
 * The gradient of that magnitude graph bounds each leaf gradient's scale in the same way.
 * A node is exact when every step is exact on the dyadic grid: its grid step q (quanta multiply
 * through products) still resolves its magnitude in 24 bits (M <= 2^24 q); then tolerance is 0.
 */
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import type { Tf } from './backend.ts';
import { UNIT_ROUNDOFF } from './compare.ts';
import { isLeaf, seedValues, topological, type Apply, type Expr, type Graph, type Leaf } from './graph.ts';
import { OP_TABLE, opLength, quantumOf, type Kink, type Operand } from './ops.ts';

/** Absolute floor of every bound: float32 denormals, which a backend may flush to zero. */
const FLOOR = 2 ** -100;
const GRID_BITS = 2 ** 24;

export interface Bounded {
  value: Float32Array;
  shape: number[];
  /** Bound on |oracle - exact| per element: 0 where exact, Infinity where none could be derived. */
  error: Float64Array;
  exact: boolean;
}

/** The branch decisions of one kinked op (relu, clamp, abs, maximum/minimum, max), oracle-side. */
export interface Decisions {
  node: Apply;
  kinks: Kink[];
}

/** A decision float32 rounding could have flipped: its input lies within its error of the kink. */
export const mayFlip = ({ gap, err }: Kink) => err > 0 && Math.abs(gap) <= err;

export interface Replay {
  nodes: Map<Expr, Bounded>;
  grads: Map<Leaf, Bounded>;
  decisions: Decisions[];
  /** Why the table keeps this computation out of the comparison (a divergence it cannot build around). */
  outside?: string;
}

const f32 = (xs: ArrayLike<number>) => Float32Array.from(xs);
const read = (t: TfTensor) => t.dataSync().slice() as Float32Array;
const maxOf = (xs: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, xs[i]!);
  return m;
};
const quantumOfAll = (xs: ArrayLike<number>): number | undefined => {
  let q: number | undefined = Infinity;
  for (let i = 0; i < xs.length && q !== undefined; i++) {
    const qi = quantumOf(xs[i]!);
    q = qi === undefined ? undefined : Math.min(q, qi);
  }
  return q;
};

/** One tfjs pass over the graph: each node built by `build`, all values read, leaf gradients of the root. */
function pass(
  tf: Tf,
  graph: Graph,
  leafValues: (leaf: Leaf) => Float32Array,
  seed: number[],
  build: (e: Apply, args: Operand<TfTensor>[], shapes: number[][]) => TfTensor,
): { values: Map<Expr, Float32Array>; shapes: Map<Expr, number[]>; grads: Float32Array[] } {
  const order = topological(graph.root);
  const leaves = order.filter(isLeaf);
  const values = new Map<Expr, Float32Array>();
  const shapes = new Map<Expr, number[]>();
  let grads: Float32Array[] = [];
  tf.tidy(() => {
    const xs = leaves.map((l) => tf.tensor(leafValues(l), l.value.shape));
    // The root is unknown until built: seed dy through sum(root * dy), whose gradient is exactly dy.
    const { grads: g } = tf.engine().gradients(
      () => {
        const built = new Map<Expr, TfTensor>(leaves.map((l, i) => [l, xs[i]!]));
        for (const e of order) {
          if (!isLeaf(e)) {
            const args = e.args.map((a) => (typeof a === 'number' ? a : built.get(a)!));
            built.set(e, build(e, args, args.map((a) => (typeof a === 'number' ? [] : a.shape))));
          }
          values.set(e, read(built.get(e)!));
          shapes.set(e, built.get(e)!.shape);
        }
        const root = built.get(graph.root)!;
        return tf.sum(tf.mul(root, tf.tensor(f32(seedValues(seed, root.size)), root.shape)));
      },
      xs,
      undefined,
      true,
    );
    // A leaf the root does not reach gets no gradient from tfjs: read it as zeros.
    grads = leaves.map((l, i) => (g[i] ? read(g[i]!) : new Float32Array(l.value.data.length)));
  });
  return { values, shapes, grads };
}

export function replay(tf: Tf, graph: Graph): Replay {
  const order = topological(graph.root);
  const leaves = order.filter(isLeaf);

  // 1. Values and gradients, with the ops tfjs would use.
  const valued = pass(tf, graph, (l) => f32(l.value.data), graph.seed, (e, args, shapes) => OP_TABLE[e.op].tf(tf, args, e.attrs ?? {}, shapes));

  // 2. Magnitudes; on the way, each node's rounding count K, grid step q, error bound and kinks.
  // A leaf that float32 cannot hold exactly starts one rounding away from the float64 caller's value.
  const K = new Map<Expr, number>();
  const q = new Map<Expr, number | undefined>();
  const nodes = new Map<Expr, Bounded>();
  for (const l of leaves) {
    const value = valued.values.get(l)!;
    const exact = l.value.data.every((x) => Number.isNaN(x) || Math.fround(x) === x);
    K.set(l, exact ? 0 : 1);
    q.set(l, exact ? quantumOfAll(l.value.data) : undefined);
    nodes.set(l, { value, shape: l.value.shape, error: Float64Array.from(value, (v) => (exact ? 0 : UNIT_ROUNDOFF * Math.abs(v))), exact });
  }
  const decisions: Decisions[] = [];
  let outside: string | undefined;
  let gradientSteps = 8; // rounding steps of the backward pass, summed over the graph
  let gradientQuantum = quantumOfAll(f32(graph.seed));
  const valueOf = (a: Expr | number) => (typeof a === 'number' ? a : valued.values.get(a)!);
  const errorOf = (a: Expr | number) => (typeof a === 'number' ? new Float64Array(1) : nodes.get(a)!.error);

  const magnitudes = pass(tf, graph, (l) => f32(l.value.data.map(Math.abs)), graph.seed.map(Math.abs), (e, m, shapes) => {
    const rule = OP_TABLE[e.op];
    const attrs = e.attrs ?? {};
    const n = opLength(e.op, shapes, attrs);
    const ctx = { tf, attrs, x: e.args.map(valueOf), shapes, err: e.args.map(errorOf), y: valued.values.get(e)!, shape: valued.shapes.get(e)! };
    const M = rule.magnitude(m, ctx);
    const Mv = read(M);

    const inputs = e.args.filter((a): a is Expr => typeof a === 'object');
    const k = rule.ulps(e.args.map((a) => (typeof a === 'number' ? 0 : K.get(a)!)), n, attrs);
    const argQuanta = e.args.map((a) => (typeof a === 'number' ? quantumOf(a) : q.get(a)));
    const quantum = rule.quantum && argQuanta.every((x) => x !== undefined) ? rule.quantum(argQuanta as number[], n, attrs) : undefined;
    const exact = quantum !== undefined && quantum > 0 && inputs.every((a) => nodes.get(a)!.exact) && maxOf(Mv) <= GRID_BITS * quantum;
    K.set(e, k);
    q.set(e, exact ? quantum : undefined);
    const error = exact ? new Float64Array(Mv.length) : Float64Array.from(Mv, (v) => (Number.isFinite(v) ? 2 * k * UNIT_ROUNDOFF * v + FLOOR : Infinity));
    nodes.set(e, { value: ctx.y, shape: ctx.shape, error, exact });

    gradientSteps += rule.ulps(e.args.map(() => 0), n, attrs);
    gradientQuantum = exact && gradientQuantum !== undefined && rule.quantum ? gradientQuantum * (rule.gradStep?.(argQuanta as number[], n, ctx) ?? 1) : undefined;
    if (rule.kinks) decisions.push({ node: e, kinks: rule.kinks(ctx) });
    outside ??= rule.outside?.(ctx);
    return M;
  });

  const grads = new Map<Leaf, Bounded>();
  leaves.forEach((l, i) => {
    const value = valued.grads[i]!;
    const G = magnitudes.grads[i]!;
    const exact = gradientQuantum !== undefined && gradientQuantum > 0 && 2 * maxOf(G) <= GRID_BITS * gradientQuantum;
    const error = exact ? new Float64Array(G.length) : Float64Array.from(G, (g) => (Number.isFinite(g) ? 2 * gradientSteps * UNIT_ROUNDOFF * g + FLOOR : Infinity));
    grads.set(l, { value, shape: l.value.shape, error, exact });
  });
  return { nodes, grads, decisions, outside };
}
