/**
 * Recording one call's engine computation as plain data (runs in the harness, beside the module it
 * calls). Every op the call applies and every backward pass it runs is written down, so that the
 * grader can replay the reference's computation in an oracle (src/oracle/trace.ts) and can tell
 * whether a returned tensor is the `.grad` that a `backward()` filled.
 */
import { observe } from '../autograd/observe.ts';
import type { Tensor } from '../autograd/tensor.ts';
import type { Plain, PlainTensor } from './protocol.ts';

/** A tensor the call did not compute (an argument, a constant): its values, and which argument it is. */
export interface TraceLeaf {
  leaf: PlainTensor;
  /** Index of the top-level argument this tensor is. */
  arg?: number;
}

/** One primitive applied: its name (`Add`, `Matmul`, ...), inputs (node indices), parameter and result shape. */
export interface TraceOp {
  op: string;
  inputs: number[];
  param: Plain;
  shape: number[];
  /** The engine recorded it for backward (some input required grad, grad mode on). */
  recorded: boolean;
  /** Its values, for an op the engine did not record: a gradient replay treats it as a constant. */
  value?: PlainTensor;
}

export type TraceNode = TraceLeaf | TraceOp;

export interface Trace {
  /** Every node the results and backward roots depend on, inputs before the ops that use them. */
  nodes: TraceNode[];
  /** Each `backward()` of the call, in order: its root node, the seed and the leaves it reached. */
  backwards: { root: number; seed: PlainTensor; leaves: number[] }[];
  /** Each tensor of the call's result, by its path in the result (`''`, `.h1`, `[2]`): its node, and the leaf whose `.grad` it is. */
  results: { path: string; node: number; gradOf?: number }[];
}

export const isTraceOp = (node: TraceNode): node is TraceOp => 'op' in node;

interface Applied {
  op: string;
  inputs: readonly Tensor[];
  param: unknown;
  recorded: boolean;
}

/** Watches the engine while `run` runs; `trace(result)` then writes down what the result depends on. */
export async function recording<T>(
  args: readonly unknown[],
  isTensor: (value: unknown) => value is Tensor,
  run: () => Promise<T>,
): Promise<{ result: T; trace(result: unknown): Trace }> {
  const applied = new Map<Tensor, Applied>();
  const passes: { root: Tensor; seed: Float64Array; leaves: readonly Tensor[] }[] = [];
  const stop = observe({
    op: (op, inputs, param, out) => void applied.set(out, { op, inputs: [...inputs], param, recorded: out._op !== null }),
    backward: (root, seed, leaves) => void passes.push({ root, seed: seed.slice(), leaves: [...leaves] }),
  });
  let result: T;
  try {
    result = await run();
  } finally {
    stop();
  }
  const argumentOf = new Map<Tensor, number>();
  args.forEach((a, i) => isTensor(a) && argumentOf.set(a, i));

  const trace = (value: unknown): Trace => {
    const nodes: TraceNode[] = [];
    const ids = new Map<Tensor, number>();
    /** The node of `t`, made after the nodes of its inputs (iteratively: graphs can be deep). */
    const nodeOf = (root: Tensor): number => {
      const stack = [root];
      while (stack.length > 0) {
        const t = stack[stack.length - 1]!;
        if (ids.has(t)) {
          stack.pop();
          continue;
        }
        const step = applied.get(t);
        const pending = step?.inputs.filter((input) => !ids.has(input)) ?? [];
        if (pending.length > 0) {
          stack.push(...pending);
          continue;
        }
        stack.pop();
        const arg = argumentOf.get(t);
        nodes.push(
          step
            ? {
                op: step.op,
                inputs: step.inputs.map((input) => ids.get(input)!),
                param: plainParam(step.param),
                shape: [...t.shape],
                recorded: step.recorded,
                ...(step.recorded ? {} : { value: { shape: [...t.shape], data: t.data.slice() } }),
              }
            : { leaf: { shape: [...t.shape], data: t.data.slice() }, ...(arg === undefined ? {} : { arg }) },
        );
        ids.set(t, nodes.length - 1);
      }
      return ids.get(root)!;
    };
    const gradOwner = new Map<Tensor, Tensor>();
    for (const pass of passes) for (const leaf of pass.leaves) if (leaf.grad) gradOwner.set(leaf.grad, leaf);
    const backwards = passes.map((p) => ({ root: nodeOf(p.root), seed: { shape: [...p.root.shape], data: p.seed }, leaves: p.leaves.map(nodeOf) }));
    const results: Trace['results'] = [];
    walkTensors(value, '', isTensor, (t, path) => {
      const owner = gradOwner.get(t);
      results.push({ path, node: nodeOf(t), ...(owner ? { gradOf: nodeOf(owner) } : {}) });
    });
    return { nodes, backwards, results };
  };
  return { result: result!, trace };
}

/** Every tensor inside a result (arrays and plain objects), with its path. */
function walkTensors(value: unknown, path: string, isTensor: (v: unknown) => v is Tensor, visit: (t: Tensor, path: string) => void, depth = 0): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  if (isTensor(value)) return visit(value, path);
  if (Array.isArray(value)) value.forEach((v, i) => walkTensors(v, `${path}[${i}]`, isTensor, visit, depth + 1));
  else for (const [key, v] of Object.entries(value)) walkTensors(v, `${path}.${key}`, isTensor, visit, depth + 1);
}

/** An op's parameter as plain data: numbers, strings, arrays and objects kept; typed arrays (index tables) and the rest left out. */
function plainParam(param: unknown, depth = 0): Plain {
  if (typeof param === 'number' || typeof param === 'string' || typeof param === 'boolean') return param;
  if (depth > 4 || param === null || typeof param !== 'object' || ArrayBuffer.isView(param)) return null;
  if (Array.isArray(param)) return param.map((p) => plainParam(p, depth + 1));
  return Object.fromEntries(Object.entries(param).map(([k, v]) => [k, plainParam(v, depth + 1)]));
}
