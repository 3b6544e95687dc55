/** Ops that move values without arithmetic: at (indexing), reshape, stack. */
import { formatShape, sameShape, shapeOf, sizeOf, type Shape } from '../shape.ts';
import { Tensor, defineOp } from '../tensor.ts';
import { asTensor } from './operands.ts';

/** The index-th slice along dim 0. */
const atOp = defineOp<number>({
  name: 'Select',
  forward([x], index) {
    const shape = x!.shape.slice(1), size = sizeOf(shape);
    return new Tensor(x!.data.slice(index * size, (index + 1) * size), shape);
  },
  backward(g, [gx], _inputs, _out, index) {
    const offset = index * g.length;
    for (let j = 0; j < g.length; j++) gx![offset + j] += g[j]!;
  },
});

/** The i-th slice along dim 0 (negative i counts from the end). */
export function at(x: Tensor, i: number): Tensor {
  asTensor('at', x);
  if (x.shape.length === 0) throw new Error('at: cannot index a tensor of shape []');
  const n = x.shape[0]!;
  if (!Number.isInteger(i) || i < -n || i >= n) {
    throw new Error(`at: index ${i} out of range for dimension 0 of size ${n}`);
  }
  return atOp([x], i < 0 ? i + n : i);
}

/** The same values in another shape; shares the data (as torch's view). */
const reshapeOp = defineOp<Shape>({
  name: 'Reshape',
  forward([x], shape) {
    return new Tensor(x!.data, shape);
  },
  backward(g, [gx]) {
    for (let j = 0; j < g.length; j++) gx![j] += g[j]!;
  },
});

/** `reshape(x, 2, 3)` or `reshape(x, [2, 3])`; one size may be -1 (inferred). */
export function reshape(x: Tensor, ...sizes: number[] | [number[]]): Tensor {
  asTensor('reshape', x);
  const shape = shapeOf(sizes);
  const fail = (why: string) => new Error(`reshape: cannot reshape ${formatShape(x.shape)} into ${formatShape(shape)}: ${why}`);
  const inferred = shape.indexOf(-1);
  if (shape.some((d, k) => !Number.isInteger(d) || d < (k === inferred ? -1 : 0)) || shape.lastIndexOf(-1) !== inferred) {
    throw fail('sizes must be whole numbers >= 0, with at most one -1');
  }
  if (inferred >= 0) {
    const known = -sizeOf(shape);
    if (known === 0 || x.size % known !== 0) throw fail(`${x.size} elements`);
    shape[inferred] = x.size / known;
  }
  if (sizeOf(shape) !== x.size) throw fail(`${x.size} elements`);
  return reshapeOp([x], shape);
}

const stackOp = defineOp({
  name: 'Stack',
  forward(inputs) {
    const size = inputs[0]!.size, out = new Float64Array(inputs.length * size);
    inputs.forEach((t, i) => out.set(t.data, i * size));
    return new Tensor(out, [inputs.length, ...inputs[0]!.shape]);
  },
  backward(g, grads) {
    const size = g.length / grads.length;
    grads.forEach((gi, i) => {
      if (gi) for (let j = 0; j < size; j++) gi[j] += g[i * size + j]!;
    });
  },
});

/** Joins tensors of one shape along a new leading dimension. */
export function stack(tensors: Tensor[]): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error('stack: expects a non-empty array of tensors');
  tensors.forEach((t, i) => {
    asTensor('stack', t, i + 1);
    if (!sameShape(t.shape, tensors[0]!.shape)) {
      throw new Error(`stack: all tensors need one shape; tensor 0 has shape ${formatShape(tensors[0]!.shape)}, tensor ${i} has ${formatShape(t.shape)}`);
    }
  });
  return stackOp(tensors.slice(), undefined);
}
