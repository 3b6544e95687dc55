// Cases built from sizes and keyed draws (generators/sized.ts): sizes shrink first, keeping the values drawn.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { size } from '../../generators/shapes.ts';
import { drawArray, drawTensor, sized } from '../../generators/sized.ts';
import { drawValues } from '../helpers/values.ts';

/** n integers in [-10, 10], n in 1..8 (1 and 8 pinned in). */
const numbers = () => sized({ n: size(8) }, ({ n }, draw) => drawArray(draw, 'x', n, fc.integer({ min: -10, max: 10 })));
const counterexample = <T>(arb: fc.Arbitrary<T>, fails: (x: T) => boolean, seed: number) => {
  const details = fc.check(fc.property(arb, (x) => !fails(x)), { seed });
  expect(details.failed).toBe(true);
  return details.counterexample![0];
};

/** `start` shrunk as fast-check shrinks it: the first candidate that still fails, for as long as there is one. */
function shrunkFrom<T>(arb: fc.Arbitrary<T>, start: fc.Value<T>, fails: (x: T) => boolean): T {
  for (let current = start; ; ) {
    const [next] = [...arb.shrink(current.value_, current.context).filter((c) => fails(c.value)).take(1)];
    if (!next) return current.value;
    current = next;
  }
}

describe('sized', () => {
  it('a smaller size keeps the values drawn: the first smaller candidate is the case cut down', () => {
    for (const value of drawValues(numbers(), 30, 7).filter((v) => v.value.length > 1)) {
      const [cut] = [...numbers().shrink(value.value_, value.context).filter((c) => c.value.length < value.value.length).take(1)];
      expect(value.value.slice(0, cut!.value.length)).toEqual(cut!.value);
    }
  });

  it('cuts a tensor by its indices: a smaller matrix is the top-left block of the larger', () => {
    const matrices = sized({ n: size(6) }, ({ n }, draw) => drawTensor(draw, 'M', [n, n], fc.integer({ min: 1, max: 99 })));
    for (const value of drawValues(matrices, 30, 3).filter((v) => v.value.shape[0]! > 1)) {
      const [cut] = [...matrices.shrink(value.value_, value.context).filter((c) => c.value.shape[0]! < value.value.shape[0]!).take(1)];
      const [n, k] = [value.value.shape[0]!, cut!.value.shape[0]!];
      const block = Array.from({ length: k * k }, (_, i) => value.value.data[Math.floor(i / k) * n + (i % k)]);
      expect(Array.from(cut!.value.data)).toEqual(block);
    }
  });

  it('a size that fails from 3 on shrinks to exactly 3, whichever branch drew it, and the values to their smallest', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(counterexample(numbers(), (xs) => xs.length >= 3, seed)).toEqual([0, 0, 0]);
  });

  it('a bug at the smallest size that the cut-down values miss is found by drawing the smallest case afresh', () => {
    // Fails wherever an entry is negative; the case to shrink has none in first place, so cutting it down alone would pass.
    const fails = (xs: number[]) => xs.some((x) => x < 0);
    const starts = drawValues(numbers().filter((xs) => xs.length === 8 && xs[0]! >= 0 && fails(xs)), 3, 5);
    for (const start of starts) expect(shrunkFrom(numbers(), start, fails)).toEqual([-1]);
  });

  it('is deterministic by seed, and a path replays its counterexample', () => {
    const fails = (xs: number[]) => xs.length >= 2 && xs.some((x) => x > 5);
    const first = fc.check(fc.property(numbers(), (xs) => !fails(xs)), { seed: 11 });
    const again = fc.check(fc.property(numbers(), (xs) => !fails(xs)), { seed: 11 });
    expect(again.counterexample).toEqual(first.counterexample);
    expect(again.counterexamplePath).toBe(first.counterexamplePath);
    const replayed = fc.check(fc.property(numbers(), (xs) => !fails(xs)), { seed: 11, path: first.counterexamplePath!, endOnFailure: true });
    expect(replayed.counterexample).toEqual(first.counterexample);
  });
});
