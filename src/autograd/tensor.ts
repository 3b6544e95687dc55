/**
 * The core: `Tensor`, the op mechanism (`defineOp`), `noGrad` and the reverse pass.
 *
 * A tensor computed from inputs that require grad remembers its op, its inputs and the op's
 * parameter; it is its own graph node (micrograd's Value). `backward()` sorts that graph once and
 * runs each op's backward, which adds into its inputs' gradient buffers in place.
 */
import { formatShape, sameShape, sizeOf, type Shape } from './shape.ts';
import type { TensorMethods } from './methods.ts';
import { fromNested, type Nested } from './create.ts';
import { observer } from './observe.ts';

/** A primitive: forward beside backward, like torch.autograd.Function or tinygrad's Function. */
export interface OpDefinition<P = undefined> {
  /** Shown in graphs as `${name}Backward`. */
  readonly name: string;
  /** Computes the result as a fresh tensor; `param` carries non-tensor arguments (dims, bounds...). */
  forward(inputs: Tensor[], param: P): Tensor;
  /**
   * Adds the gradient of each input into `grads[i]` (row-major, the input's shape), given `g`, the
   * gradient of `out`. `grads[i]` is null when input i does not require grad.
   */
  backward(g: Float64Array, grads: (Float64Array | null)[], inputs: Tensor[], out: Tensor, param: P): void;
}

let gradEnabled = true;
/** How many op forwards are running: ops used inside another op's forward are not observed. */
let depth = 0;

/**
 * Makes a primitive callable: runs its forward (without recording, as torch.autograd.Function does,
 * so a forward may use other ops) and records the graph when an input requires grad.
 */
export function defineOp<P = undefined>(definition: OpDefinition<P>): (inputs: Tensor[], param: P) => Tensor {
  return (inputs, param) => {
    const recording = gradEnabled;
    gradEnabled = false;
    depth++;
    let out: Tensor;
    try {
      out = definition.forward(inputs, param);
    } finally {
      gradEnabled = recording;
      depth--;
    }
    if (!(out instanceof Tensor) || out._op !== null || inputs.includes(out)) {
      throw new Error(`${definition.name}: forward must return a new Tensor`);
    }
    if (recording) {
      for (const input of inputs) {
        if (input._requiresGrad) {
          out._op = definition as OpDefinition<unknown>;
          out._inputs = inputs;
          out._param = param;
          out._requiresGrad = true;
          break;
        }
      }
    }
    if (depth === 0) observer()?.op(definition.name, inputs, param, out);
    return out;
  };
}

/** Runs `fn` without recording any graph (torch.no_grad). Synchronous code only. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    const result = fn();
    if (result instanceof Promise) throw new Error('noGrad: fn returned a Promise; noGrad covers synchronous code only');
    return result;
  } finally {
    gradEnabled = previous;
  }
}

export type TensorLike = Tensor | number;
export type ClampBounds = { min?: number; max?: number };

let pass = 0; // numbers backward passes, to mark visited nodes without a Set

/** The op methods (`x.matmul(y)`, `x.sum()`), derived from the ops in methods.ts. */
export interface Tensor extends TensorMethods {}

export class Tensor {
  /** Row-major values. */
  readonly data: Float64Array;
  readonly shape: Shape;
  /** The accumulated gradient of a leaf after `backward()`; null before, and always on non-leaves. */
  grad: Tensor | null = null;
  _requiresGrad = false;
  /** The op that computed this tensor, its inputs and parameter: set only while recording. */
  _op: OpDefinition<unknown> | null = null;
  _inputs: Tensor[] | null = null;
  _param: unknown = undefined;
  /** This tensor's gradient during a backward pass. */
  _gradBuffer: Float64Array | null = null;
  _pass = 0;

  constructor(data: Float64Array, shape: Shape) {
    if (data.length !== sizeOf(shape)) {
      throw new Error(`Tensor: data of length ${data.length} does not fill shape ${formatShape(shape)}`);
    }
    this.data = data;
    this.shape = shape;
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (this._op !== null) {
      throw new Error(
        `requiresGrad: can only be set on a leaf tensor; this one (shape ${formatShape(this.shape)}) is the output of ${this._op.name}Backward. Use detach() to get a leaf.`,
      );
    }
    this._requiresGrad = value;
  }

  get isLeaf(): boolean {
    return this._op === null;
  }

  get size(): number {
    return this.data.length;
  }

  /** Backpropagates from this tensor into the `grad` of every leaf that requires grad. */
  backward(gradient?: Tensor | Nested): void {
    if (!this._requiresGrad) {
      throw new Error(
        `backward: tensor of shape ${formatShape(this.shape)} does not require grad (no input of its computation has requiresGrad set)`,
      );
    }
    let seed: Float64Array;
    if (gradient === undefined) {
      if (this.data.length !== 1) {
        throw new Error(`backward: implicit gradient only for a one-element tensor; got shape ${formatShape(this.shape)}`);
      }
      seed = new Float64Array([1]);
    } else {
      const g = gradient instanceof Tensor ? gradient : fromNested('backward', gradient);
      if (!sameShape(g.shape, this.shape)) {
        throw new Error(`backward: gradient of shape ${formatShape(g.shape)} does not match tensor of shape ${formatShape(this.shape)}`);
      }
      seed = g.data;
    }
    const order = topologicalOrder(this);
    try {
      for (const node of order) {
        if (node._op === null) {
          node.grad ??= new Tensor(new Float64Array(node.data.length), node.shape);
          if (!sameShape(node.grad.shape, node.shape)) {
            throw new Error(`backward: a leaf of shape ${formatShape(node.shape)} has a grad of shape ${formatShape(node.grad.shape)}`);
          }
          node._gradBuffer = node.grad.data;
        } else {
          node._gradBuffer = new Float64Array(node.data.length);
        }
      }
      const root = this._gradBuffer!;
      for (let i = 0; i < root.length; i++) root[i] += seed[i]!;
      for (let k = order.length - 1; k >= 0; k--) {
        const node = order[k]!;
        if (node._op === null) continue;
        const inputs = node._inputs!;
        const grads = inputs.map((t) => (t._requiresGrad ? t._gradBuffer : null));
        node._op.backward(node._gradBuffer!, grads, inputs, node, node._param);
      }
    } finally {
      for (const node of order) node._gradBuffer = null;
    }
    observer()?.backward(this, seed, order.filter((node) => node._op === null));
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) {
      throw new Error(`item: tensor of shape ${formatShape(this.shape)} has ${this.data.length} elements, not one`);
    }
    return this.data[0]!;
  }

  /** Nested arrays of numbers (a number for shape `[]`). */
  tolist(): Nested {
    const build = (dim: number, offset: number): Nested => {
      if (dim === this.shape.length) return this.data[offset]!;
      const n = this.shape[dim]!;
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: n }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** A leaf sharing this tensor's data, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  toString(): string {
    const values = JSON.stringify(this.tolist()).replaceAll(',', ', ');
    const note = this._op ? `, grad_fn=<${this._op.name}Backward>` : this._requiresGrad ? ', requiresGrad=true' : '';
    return `tensor(${values}${note})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** The nodes that require grad behind `root`, each after all of its inputs (iterative DFS). */
function topologicalOrder(root: Tensor): Tensor[] {
  const mark = ++pass;
  const order: Tensor[] = [];
  const stack: Tensor[] = [root];
  const next: number[] = [0]; // which input of stack[i] to visit next
  root._pass = mark;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top]!;
    const inputs = node._inputs;
    const i = next[top]!;
    if (inputs !== null && i < inputs.length) {
      next[top] = i + 1;
      const input = inputs[i]!;
      if (input._requiresGrad && input._pass !== mark) {
        input._pass = mark;
        stack.push(input);
        next.push(0);
      }
    } else {
      order.push(node);
      stack.pop();
      next.pop();
    }
  }
  return order;
}
