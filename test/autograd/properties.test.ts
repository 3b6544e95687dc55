// Each op's gradient against float64 finite differences (gradcheck), away from kinks, over random
// shapes and values (see arbitraries.ts for how the kinks are kept out).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/autograd/index.ts';
import { gradcheck, type Tensor } from '../../src/autograd/index.ts';
import {
  broadcastPair, distinct, offGrid, onGrid, positive, sameShaped, shape, shapeAndDim, tensorArb, tensorOf,
} from './arbitraries.ts';

function expectGradient(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const result = gradcheck(fn, inputs);
  expect(result.ok, result.message).toBe(true);
}

describe('gradients match finite differences', () => {
  it.each([
    ['neg', ag.neg, offGrid()],
    ['abs', ag.abs, offGrid()],
    ['relu', ag.relu, offGrid()],
    ['exp', ag.exp, offGrid(3)],
    ['log', ag.log, positive()],
    ['tanh', ag.tanh, offGrid(3)],
    ['sigmoid', ag.sigmoid, offGrid(3)],
  ] as const)('%s', (_name, op, value) => {
    fc.assert(fc.property(tensorArb(value), (x) => expectGradient(op, [x])));
  });

  it('clamp, with the bounds on the grid and x off it', () => {
    const bounds = fc.tuple(onGrid(), onGrid()).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));
    const oneSided = onGrid().chain((b) => fc.constantFrom({ min: b }, { max: b }));
    fc.assert(
      fc.property(tensorArb(), fc.oneof(bounds, oneSided), (x, b) => expectGradient((t) => ag.clamp(t, b), [x])),
    );
  });

  it.each([
    ['add', ag.add, offGrid(), offGrid()],
    ['sub', ag.sub, offGrid(), offGrid()],
    ['mul', ag.mul, offGrid(), offGrid()],
    ['div', ag.div, offGrid(), offGrid()],
    ['maximum', ag.maximum, offGrid(), onGrid()],
    ['minimum', ag.minimum, offGrid(), onGrid()],
    ['pow', ag.pow, positive(), onGrid(3).map((b) => b - 1)],
  ] as const)('%s (same shapes)', (_name, op, a, b) => {
    const operands = shape().chain((s) => fc.tuple(tensorOf(s, a), tensorOf(s, b)));
    fc.assert(fc.property(operands, ([x, y]) => expectGradient(op, [x, y])));
  });

  it.each([
    ['add', ag.add],
    ['sub', ag.sub],
    ['mul', ag.mul],
    ['div', ag.div],
  ] as const)('%s (broadcasting)', (_name, op) => {
    const operands = broadcastPair.chain(([sa, sb]) => fc.tuple(tensorOf(sa, offGrid()), tensorOf(sb, offGrid())));
    fc.assert(fc.property(operands, ([x, y]) => expectGradient(op, [x, y])));
  });

  it('pow with a number exponent', () => {
    fc.assert(
      fc.property(tensorArb(), fc.integer({ min: 0, max: 3 }), (x, k) => expectGradient((t) => ag.pow(t, k), [x])),
    );
  });

  it('matmul over every pairing of 1-D and 2-D operands, mv and dot', () => {
    const size = fc.integer({ min: 1, max: 4 });
    const operands = fc.tuple(size, size, size, fc.boolean(), fc.boolean()).chain(([m, n, p, aMatrix, bMatrix]) =>
      fc.tuple(tensorOf(aMatrix ? [m, n] : [n], offGrid()), tensorOf(bMatrix ? [n, p] : [n], offGrid())),
    );
    fc.assert(
      fc.property(operands, ([a, b]) => {
        expectGradient(ag.matmul, [a, b]);
        if (a.shape.length === 2 && b.shape.length === 1) expectGradient(ag.mv, [a, b]);
        if (a.shape.length === 1 && b.shape.length === 1) expectGradient(ag.dot, [a, b]);
      }),
    );
  });

  it.each([
    ['sum', ag.sum, offGrid()],
    ['mean', ag.mean, offGrid()],
    ['prod', ag.prod, offGrid(2)],
    ['softmax', ag.softmax, offGrid()],
  ] as const)('%s with or without a dim', (_name, op, value) => {
    const cases = shapeAndDim.chain(([s, dim]) => fc.tuple(tensorOf(s, value), fc.constant(dim)));
    fc.assert(fc.property(cases, ([x, dim]) => expectGradient((t) => op(t, dim), [x])));
  });

  it('max with or without a dim (distinct values: no ties)', () => {
    const cases = shapeAndDim.chain(([s, dim]) => fc.tuple(distinct(s), fc.constant(dim)));
    fc.assert(fc.property(cases, ([x, dim]) => expectGradient((t) => ag.max(t, dim), [x])));
  });

  it('at, with indices from either end', () => {
    const cases = shape(3, 1).chain((s) =>
      fc.tuple(tensorOf(s, offGrid()), fc.integer({ min: -s[0]!, max: s[0]! - 1 })),
    );
    fc.assert(fc.property(cases, ([x, i]) => expectGradient((t) => ag.at(t, i), [x])));
  });

  it('reshape, T, diag, stack and expand', () => {
    fc.assert(
      fc.property(tensorArb(offGrid(), shape(2, 2)), (m) => {
        expectGradient((t) => t.T, [m]);
        expectGradient((t) => t.diag(), [m]);
        expectGradient((t) => t.reshape(-1), [m]);
        expectGradient((t) => ag.expand(t, [2, ...t.shape]), [m]);
      }),
    );
    fc.assert(fc.property(sameShaped(3), (ts) => expectGradient((...xs) => ag.stack(xs), ts)));
  });

  it('a composite: two RNN steps with tanh and a softmax output', () => {
    const dim = fc.integer({ min: 1, max: 4 });
    const cases = dim.chain((d) =>
      fc.tuple(...[[d, d], [d, d], [d, d], [d], [d]].map((s) => tensorOf(s, offGrid(1)))),
    );
    fc.assert(
      fc.property(cases, (inputs) =>
        expectGradient(
          (U, V, W, x1, x2) => {
            const h1 = ag.tanh(U!.mv(x1!));
            const h2 = ag.tanh(U!.mv(x2!).add(V!.mv(h1)));
            return ag.softmax(W!.mv(h2)).at(0).mul(h1.sum());
          },
          inputs,
        ),
      ),
    );
  });
});
