/** PlainTensors (src/sandbox/protocol.ts) filled from any number arbitrary. */
import fc from 'fast-check';
import { sizeOf } from '../src/autograd/shape.ts';
import type { PlainTensor } from '../src/sandbox/protocol.ts';

export function tensorOf(shape: number[], values: fc.Arbitrary<number>): fc.Arbitrary<PlainTensor> {
  const n = sizeOf(shape);
  return fc
    .array(values, { minLength: n, maxLength: n })
    .map((xs) => ({ shape: [...shape], data: Float64Array.from(xs) }));
}

export const vector = (n: number, values: fc.Arbitrary<number>) => tensorOf([n], values);
export const matrix = (rows: number, cols: number, values: fc.Arbitrary<number>) => tensorOf([rows, cols], values);

/** A PlainTensor built from a shape and a function of the flat index. */
export function fromFunction(shape: number[], f: (i: number) => number): PlainTensor {
  return { shape: [...shape], data: Float64Array.from({ length: sizeOf(shape) }, (_, i) => f(i)) };
}

export const zeros = (shape: number[]) => fromFunction(shape, () => 0);
