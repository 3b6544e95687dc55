/** Shapes of the lab's computations: small most of the time, with the edges drawn on purpose. */
import fc from 'fast-check';

/** An integer in [1, max], biased to small, with 1 and max pinned in; it shrinks as an integer does, toward 1. */
export function size(max: number): fc.Arbitrary<number> {
  if (max < 1) throw new Error(`size: max must be at least 1, got ${max}`);
  const small = fc.integer({ min: 1, max: Math.min(max, 4) });
  const drawn = fc.oneof(
    { arbitrary: small, weight: 6 },
    { arbitrary: fc.integer({ min: 1, max }), weight: 2 },
    { arbitrary: fc.constantFrom(1, max), weight: 2 },
  );
  return shrinkingAsInteger(drawn, { min: 1, max });
}

/**
 * The values `arbitrary` draws, shrunk as integers of [min, max] are: toward `min` by halving,
 * whichever branch drew them. Shrunk by its own branch, a max drawn by `fc.constantFrom(1, max)`
 * could only become 1, so a size that fails from 2 on stayed at max.
 */
export function shrinkingAsInteger(arbitrary: fc.Arbitrary<number>, range: { min: number; max: number }): fc.Arbitrary<number> {
  const integer = fc.integer(range);
  return new (class extends fc.Arbitrary<number> {
    generate(random: fc.Random, bias: number | undefined) {
      return new fc.Value(arbitrary.generate(random, bias).value, undefined);
    }
    canShrinkWithoutContext(value: unknown): value is number {
      return integer.canShrinkWithoutContext(value);
    }
    shrink(value: number, context: unknown) {
      return integer.shrink(value, context);
    }
  })();
}

export interface RnnShape {
  dim: number;
  N: number;
}

/** An RNN's hidden size `dim` (1..maxDim) and sequence length `N` (1..maxN). */
export function rnnShape({ maxDim = 32, maxN = 64 }: { maxDim?: number; maxN?: number } = {}): fc.Arbitrary<RnnShape> {
  return fc.record({ dim: size(maxDim), N: size(maxN) });
}

/** A vocabulary size V in 1..max (the lab's V is 2). */
export const vocabSize = ({ max = 30 }: { max?: number } = {}) => size(max);

/** Coverage labels of a size: the edges 1 and max, small (≤ 4) or larger. */
export function labelSize(name: string, n: number, max: number): string {
  return `${name}=${n === 1 ? '1' : n === max ? 'max' : n <= 4 ? '2..4' : '5..max-1'}`;
}

export const labelRnnShape = ({ dim, N }: RnnShape, { maxDim = 32, maxN = 64 } = {}): string[] => [
  labelSize('dim', dim, maxDim),
  labelSize('N', N, maxN),
];
