/** Creating tensors: from numbers and nested arrays, and the constant ones (zeros, ones, eye). */
import { formatShape, shapeOf, sizeOf, type Shape } from './shape.ts';
import { Tensor } from './tensor.ts';

/** A number or nested arrays of numbers, as `tensor()` takes them and `tolist()` gives them. */
export type Nested = number | Nested[];

/** Reads a number or rectangular nested arrays (or a flat typed array) into a tensor. */
export function fromNested(op: string, value: Nested | ArrayLike<number>): Tensor {
  if (ArrayBuffer.isView(value)) {
    const values = Float64Array.from(value as ArrayLike<number>);
    return new Tensor(values, [values.length]);
  }
  const shape: Shape = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const data = new Float64Array(sizeOf(shape));
  const path: number[] = []; // where we are, for error messages
  let at = 0;
  const fill = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') {
        const where = path.length ? ` at index [${path.join(',')}]` : '';
        throw new Error(`${op}: expected a number${where}, got ${Array.isArray(v) ? 'an array' : typeof v}`);
      }
      data[at++] = v;
    } else if (!Array.isArray(v) || v.length !== shape[dim]) {
      const got = Array.isArray(v) ? `${v.length} elements` : typeof v;
      throw new Error(`${op}: ragged nested array at index ${path.join(',')} (expected ${shape[dim]} elements, got ${got})`);
    } else {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        fill(v[i], dim + 1);
        path.pop();
      }
    }
  };
  fill(value, 0);
  return new Tensor(data, shape);
}

/** A leaf tensor from a number, nested arrays or a typed array (copied), or a copy of a tensor. */
export function tensor(value: Nested | ArrayLike<number> | Tensor, options: { requiresGrad?: boolean } = {}): Tensor {
  const t = value instanceof Tensor ? new Tensor(value.data.slice(), value.shape.slice()) : fromNested('tensor', value);
  t.requiresGrad = options.requiresGrad ?? false;
  return t;
}

/** A shape given as separate sizes or one array, checked. */
function shapeArgument(op: string, sizes: number[] | [number[]]): Shape {
  const shape = shapeOf(sizes);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${op}: invalid shape ${formatShape(shape)}: sizes must be whole numbers >= 0`);
  }
  return shape;
}

export const full = (shape: Shape, value: number): Tensor => new Tensor(new Float64Array(sizeOf(shape)).fill(value), shape);
export const zeros = (...shape: number[] | [number[]]): Tensor => full(shapeArgument('zeros', shape), 0);
export const ones = (...shape: number[] | [number[]]): Tensor => full(shapeArgument('ones', shape), 1);

export function eye(n: number): Tensor {
  shapeArgument('eye', [n]);
  const t = full([n, n], 0);
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  return t;
}
