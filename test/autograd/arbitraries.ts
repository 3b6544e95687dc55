/**
 * fast-check arbitraries for the engine's property tests. Values sit on dyadic grids so that the
 * kinks are kept out by construction: `offGrid` draws odd sixteenths, which never equal an eighth,
 * and every kink or bound the tests use (0, clamp bounds, the other operand of maximum) is an eighth.
 */
import fc from 'fast-check';
import { Tensor } from '../../src/autograd/index.ts';
import { sizeOf } from '../../src/autograd/shape.ts';

export const shape = (maxRank = 3, minRank = 0) =>
  fc.array(fc.integer({ min: 1, max: 3 }), { minLength: minRank, maxLength: maxRank });

/** k/8 for |k/8| <= range: the grid of kinks and bounds. */
export const onGrid = (range = 4) => fc.integer({ min: -8 * range, max: 8 * range }).map((k) => k / 8);

/** Odd multiples of 1/16 in (-range, range): never 0, never an eighth. */
export const offGrid = (range = 4) => fc.integer({ min: -8 * range, max: 8 * range - 1 }).map((k) => (2 * k + 1) / 16);

/** Odd multiples of 1/16 in (0, range). */
export const positive = (range = 4) => fc.integer({ min: 0, max: 8 * range - 1 }).map((k) => (2 * k + 1) / 16);

export const tensorOf = (s: number[], value: fc.Arbitrary<number>) =>
  fc.array(value, { minLength: sizeOf(s), maxLength: sizeOf(s) }).map((vs) => new Tensor(Float64Array.from(vs), s));

export const tensorArb = (value: fc.Arbitrary<number> = offGrid(), s: fc.Arbitrary<number[]> = shape()) =>
  s.chain((sh) => tensorOf(sh, value));

/** Several tensors of one random shape. */
export const sameShaped = (count: number, value: fc.Arbitrary<number> = offGrid()) =>
  shape().chain((s) => fc.tuple(...Array.from({ length: count }, () => tensorOf(s, value))));

/** Distinct values (eighths), so that a max never ties. */
export const distinct = (s: number[]) =>
  fc
    .uniqueArray(fc.integer({ min: -64, max: 64 }), { minLength: sizeOf(s), maxLength: sizeOf(s) })
    .map((ks) => new Tensor(Float64Array.from(ks, (k) => k / 8), s));

/**
 * Two shapes that broadcast together: each is a suffix of a common shape, with some sizes set to 1.
 */
export const broadcastPair = shape().chain((out) => {
  const operand = fc
    .tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
  return fc.tuple(operand, operand);
});

/** A shape of at least one dimension with a valid dim (negative or not) or none. */
export const shapeAndDim = shape(3, 1).chain((s) => fc.tuple(fc.constant(s), fc.option(fc.integer({ min: -s.length, max: s.length - 1 }), { nil: undefined })));
