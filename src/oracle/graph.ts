/**
 * An engine computation as data: the same graph is built in the engine and replayed in
 * TensorFlow.js (ops.ts maps each op to both). A leaf is a differentiable input; an `Apply` is
 * one engine op. Sharing one object in two places is fan-out: its gradient accumulates.
 */
import type { PlainTensor } from '../sandbox/protocol.ts';

export const UNARY_OPS = ['neg', 'exp', 'log', 'tanh', 'sigmoid', 'relu', 'abs'] as const;
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const;
export const MATRIX_OPS = ['matmul', 'mv', 'dot', 'T', 'diag'] as const;
export const REDUCTION_OPS = ['sum', 'prod', 'mean', 'max', 'softmax'] as const;
export const OTHER_OPS = ['pow', 'clamp', 'stack', 'at', 'reshape', 'expand'] as const;
export const OPS = [...UNARY_OPS, ...BINARY_OPS, ...MATRIX_OPS, ...REDUCTION_OPS, ...OTHER_OPS] as const;
export type OpName = (typeof OPS)[number];

/** The op's non-tensor arguments, as the engine takes them. */
export interface Attrs {
  /** pow exponent */
  k?: number;
  /** clamp bounds */
  min?: number;
  max?: number;
  /** reduction / softmax dimension (absent: all elements, or the last for softmax) */
  dim?: number;
  /** at(index) */
  index?: number;
  /** reshape or expand target */
  shape?: number[];
}

export interface Leaf {
  op: 'leaf';
  value: PlainTensor;
}

export interface Apply {
  op: OpName;
  /** Tensors, or plain numbers where the engine takes a number operand (add/sub/mul/div/...). */
  args: (Expr | number)[];
  attrs?: Attrs;
}

export type Expr = Leaf | Apply;

/**
 * A computation to check: its root and the gradient seeded there (`backward(dy)`), whose values
 * are `seed` repeated to fill the root's shape (a graph as data need not know that shape).
 */
export interface Graph {
  root: Expr;
  seed: number[];
}

/** The seed's values filling `size` elements. */
export const seedValues = (seed: number[], size: number) => Float64Array.from({ length: size }, (_, i) => seed[i % seed.length] ?? 1);

export const isLeaf = (e: Expr | number): e is Leaf => typeof e === 'object' && e.op === 'leaf';

/** Every distinct node below `root` (root included), children before parents. */
export function topological(root: Expr): Expr[] {
  const seen = new Set<Expr>();
  const order: Expr[] = [];
  const visit = (e: Expr) => {
    if (seen.has(e)) return;
    seen.add(e);
    if (!isLeaf(e)) for (const a of e.args) if (typeof a === 'object') visit(a);
    order.push(e);
  };
  visit(root);
  return order;
}

/** How many times each node below `root` is an argument of another: twice or more is fan-out. */
export function useCounts(root: Expr): Map<Expr, number> {
  const uses = new Map<Expr, number>();
  for (const e of topological(root)) if (!isLeaf(e)) for (const a of e.args) if (typeof a === 'object') uses.set(a, (uses.get(a) ?? 0) + 1);
  return uses;
}

/**
 * The graph as text a person can read: the expression, then its leaves (x0, x1, ...) and any
 * subexpression used more than once (s0, s1, ...), each written out once.
 */
export function show(root: Expr): string {
  const uses = useCounts(root);
  const names = new Map<Expr, string>();
  const definitions: string[] = [];
  let leaves = 0, shared = 0;
  const write = (e: Expr | number): string => {
    if (typeof e === 'number') return String(e);
    const known = names.get(e);
    if (known) return known;
    const text = isLeaf(e)
      ? `${JSON.stringify(e.value.shape)} [${Array.from(e.value.data).join(', ')}]`
      : `${e.op}(${e.args.map(write).join(', ')}${e.attrs ? `, ${JSON.stringify(e.attrs)}` : ''})`;
    if (!isLeaf(e) && (uses.get(e) ?? 0) < 2) return text;
    const name = isLeaf(e) ? `x${leaves++}` : `s${shared++}`;
    names.set(e, name);
    definitions.push(`${name} = ${text}`);
    return name;
  };
  const expression = write(root);
  return definitions.length === 0 ? expression : `${expression}\n  where ${definitions.join('\n        ')}`;
}

/** The same graph (sharing kept) with every leaf's values passed through `f`. */
export function mapLeaves({ root, seed }: Graph, f: (x: number) => number): Graph {
  const copies = new Map<Expr, Expr>();
  const copy = (e: Expr): Expr => {
    let c = copies.get(e);
    if (!c) {
      c = isLeaf(e)
        ? { op: 'leaf', value: { shape: e.value.shape, data: e.value.data.map(f) } }
        : { ...e, args: e.args.map((a) => (typeof a === 'number' ? a : copy(a))) };
      copies.set(e, c);
    }
    return c;
  };
  return { root: copy(root), seed };
}
