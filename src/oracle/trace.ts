/**
 * A recorded engine computation (src/sandbox/trace.ts) made into oracle Graphs: each primitive the
 * engine applied becomes the op-table op that means the same (ops.ts), so any lab's reference can be
 * replayed in TensorFlow.js without the lab writing oracle code.
 *
 * For a value, the whole recorded computation is replayed. For a gradient (a result that is the
 * `.grad` of a leaf), each backward() that reached the leaf is replayed from its root and seed; an
 * op the engine did not record (no input required grad, or noGrad) stands there as the constant it
 * was, since no gradient flowed through it.
 */
import type { PlainTensor } from '../sandbox/protocol.ts';
import { isTraceOp, type Trace, type TraceNode, type TraceOp } from '../sandbox/trace.ts';
import type { Apply, Attrs, Expr, Graph, Leaf, OpName } from './graph.ts';
import { OP_TABLE } from './ops.ts';

/** A result of the call, ready to replay: its value's graph, or the graphs whose leaf gradient it is. */
export type ReplayPlan =
  | { path: string; kind: 'value'; graph: Graph }
  | { path: string; kind: 'gradient'; graphs: Graph[]; leaf: Leaf }
  /** Why this result cannot be replayed (an op the oracle has no row for, a gradient no backward reached). */
  | { path: string; kind: 'skip'; reason: string };

/** Cannot be replayed: told to staff as "not cross-checked", never as a disagreement. */
export class Unreplayable extends Error {
  override name = 'Unreplayable';
}

export function replayPlans(trace: Trace): ReplayPlan[] {
  const values = exprBuilder(trace, false);
  return trace.results.map((result): ReplayPlan => {
    try {
      if (result.gradOf === undefined) {
        const node = trace.nodes[result.node]!;
        if (!isTraceOp(node)) return { path: result.path, kind: 'skip', reason: 'the result is a tensor the call did not compute (an argument or a constant)' };
        return { path: result.path, kind: 'value', graph: { root: values(result.node), seed: [1] } };
      }
      // One builder per plan: the leaf must be the very object inside each gradient graph.
      const grads = exprBuilder(trace, true);
      const leaf = grads(result.gradOf) as Leaf;
      const passes = trace.backwards.filter((b) => b.leaves.includes(result.gradOf!));
      if (passes.length === 0) return { path: result.path, kind: 'skip', reason: 'no backward() of the call reached the leaf whose gradient it is' };
      return { path: result.path, kind: 'gradient', leaf, graphs: passes.map((b) => ({ root: grads(b.root), seed: Array.from(b.seed.data) })) };
    } catch (error) {
      if (error instanceof Unreplayable) return { path: result.path, kind: 'skip', reason: error.message };
      throw error;
    }
  });
}

/** Builds (and shares) the Expr of each node; with `constants`, unrecorded ops are leaves of their values. */
function exprBuilder(trace: Trace, constants: boolean): (id: number) => Expr {
  const built = new Map<number, Expr>();
  const build = (id: number): Expr => {
    const known = built.get(id);
    if (known) return known;
    const node = trace.nodes[id];
    if (node === undefined) throw new Unreplayable(`the trace names node ${id}, which it does not hold`);
    let expr: Expr;
    if (!isTraceOp(node)) expr = leafOf(node.leaf);
    else if (constants && !node.recorded) expr = leafOf(node.value ?? missingValue(node));
    else expr = apply(node, node.inputs.map((i) => build(i)), trace.nodes);
    built.set(id, expr);
    return expr;
  };
  // Nodes come inputs first: building them in order keeps the recursion one level deep.
  return (id) => {
    for (let i = 0; i <= id; i++) if (!built.has(i)) build(i);
    return build(id);
  };
}

const leafOf = (value: PlainTensor): Leaf => ({ op: 'leaf', value: { shape: [...value.shape], data: Float64Array.from(value.data) } });

function missingValue(node: TraceOp): never {
  throw new Unreplayable(`the trace holds no value for the unrecorded ${node.op}`);
}

const UNARY: Record<string, OpName> = { Neg: 'neg', Exp: 'exp', Log: 'log', Tanh: 'tanh', Sigmoid: 'sigmoid', Relu: 'relu', Abs: 'abs' };
const BINARY: Record<string, OpName> = { Add: 'add', Sub: 'sub', Mul: 'mul', Div: 'div', Maximum: 'maximum', Minimum: 'minimum', Matmul: 'matmul' };
const REDUCTION: Record<string, OpName> = { Sum: 'sum', Prod: 'prod', Max: 'max', Softmax: 'softmax' };

/** The op-table op for one engine primitive, with the attributes the table takes. */
function apply(node: TraceOp, args: Expr[], nodes: TraceNode[]): Expr {
  const op = (name: OpName, operands: (Expr | number)[] = args, attrs?: Attrs): Apply => {
    if (!Object.hasOwn(OP_TABLE, name)) throw new Unreplayable(`the oracle has no row for ${name} (engine ${node.op})`);
    return attrs ? { op: name, args: operands, attrs } : { op: name, args: operands };
  };
  const param = (node.param ?? {}) as Record<string, unknown>;
  const inputShape = (i: number) => shapeOf(nodes[node.inputs[i]!]!);
  if (UNARY[node.op]) return op(UNARY[node.op]!);
  if (BINARY[node.op]) return op(BINARY[node.op]!);
  switch (node.op) {
    case 'Pow': {
      // A number exponent arrives as a constant tensor: the table's pow takes it as `k`.
      const exponent = args[1]!;
      const k = exponent.op === 'leaf' ? constantValue(exponent.value) : undefined;
      if (k !== undefined) return op('pow', [args[0]!], { k });
      return op('pow' as OpName, args);
    }
    case 'Clamp':
      return op('clamp', args, { min: param.min as number, max: param.max as number });
    case 'Transpose':
      return op('T');
    case 'Diag':
      return op('diag');
    case 'Select':
      return op('at', args, { index: node.param as number });
    case 'Reshape':
      return op('reshape', args, { shape: [...node.shape] });
    case 'Stack':
      return op('stack');
    case 'Expand':
      return op('expand', args, { shape: [...node.shape] });
    default: {
      const name = REDUCTION[node.op];
      if (!name) throw new Unreplayable(`the oracle knows no engine primitive ${node.op}`);
      // A reduction to shape [] is over everything (or along the one dim of a vector: the same values).
      if (name !== 'softmax' && node.shape.length === 0) return op(name, args, {});
      return op(name, args, { dim: groupedDim(inputShape(0), param) });
    }
  }
}

const shapeOf = (node: TraceNode): number[] => (isTraceOp(node) ? node.shape : node.leaf.shape);

/** The one value of a constant tensor, or undefined when its values differ. */
function constantValue(t: PlainTensor): number | undefined {
  const first = t.data[0];
  return first !== undefined && Array.from(t.data).every((x) => Object.is(x, first)) ? first : undefined;
}

/** The dim of a reduction or softmax, from the engine's view of its input as [outer, n, inner]. */
function groupedDim(shape: number[], groups: Record<string, unknown>): number {
  const { outer, n, inner } = groups as { outer: number; n: number; inner: number };
  let before = 1;
  for (let d = 0; d < shape.length; d++) {
    const after = shape.slice(d + 1).reduce((a, b) => a * b, 1);
    if (before === outer && shape[d] === n && after === inner) return d;
    before *= shape[d]!;
  }
  throw new Unreplayable(`a reduction over [${shape}] grouped as ${outer} x ${n} x ${inner} names no dimension`);
}
