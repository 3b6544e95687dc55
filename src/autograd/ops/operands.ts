/** Checking arguments, and broadcasting two operands to one shape. */
import { broadcastIndex, broadcastShape, formatShape, sameShape, type Shape } from '../shape.ts';
import { defineOp, Tensor } from '../tensor.ts';
import { full } from '../create.ts';

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** `value` must be a tensor; anything else is an error naming the op. */
export function asTensor(op: string, value: unknown, position = 1, expected = 'a Tensor'): Tensor {
  if (value instanceof Tensor) return value;
  throw new Error(`${op}: argument ${position} must be ${expected}, got ${describe(value)} (use tensor(...) to convert)`);
}

/** Copies x to a larger shape (NumPy broadcasting); the gradient sums back over the copies. */
const expandOp = defineOp<{ shape: Shape; index: Int32Array }>({
  name: 'Expand',
  forward([x], { shape, index }) {
    const out = new Float64Array(index.length);
    for (let i = 0; i < index.length; i++) out[i] = x!.data[index[i]!]!;
    return new Tensor(out, shape);
  },
  backward(g, [gx], _inputs, _out, { index }) {
    for (let i = 0; i < index.length; i++) gx![index[i]!] += g[i]!;
  },
});

/** x broadcast to `shape` (NumPy rules: align on the right; sizes of 1 stretch). */
export function expand(x: Tensor, shape: Shape): Tensor {
  asTensor('expand', x);
  if (sameShape(x.shape, shape)) return x;
  const fits = x.shape.length <= shape.length && x.shape.every((d, i) => d === 1 || d === shape[shape.length - x.shape.length + i]);
  if (!fits) throw new Error(`expand: shape ${formatShape(x.shape)} cannot broadcast to ${formatShape(shape)}`);
  return expandOp([x], { shape: shape.slice(), index: broadcastIndex(x.shape, shape) });
}

/** Two operands (tensors or numbers) brought to one shape; a number becomes a constant. */
export function broadcastPair(op: string, a: unknown, b: unknown): [Tensor, Tensor] {
  if (typeof b === 'number' && a instanceof Tensor) return [a, full(a.shape, b)];
  if (typeof a === 'number' && b instanceof Tensor) return [full(b.shape, a), b];
  const x = typeof a === 'number' ? full([], a) : asTensor(op, a, 1, 'a Tensor or a number');
  const y = typeof b === 'number' ? full([], b) : asTensor(op, b, 2, 'a Tensor or a number');
  if (sameShape(x.shape, y.shape)) return [x, y];
  const shape = broadcastShape(op, x.shape, y.shape);
  return [expand(x, shape), expand(y, shape)];
}
