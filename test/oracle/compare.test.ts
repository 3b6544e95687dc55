// The float32-aware comparison: non-finite values by position, exactness, derived tolerances.
import { describe, expect, it } from 'vitest';
import { agrees, disagreements, sumOfProductsTolerance, UNIT_ROUNDOFF } from '../../src/oracle/compare.ts';

describe('agrees', () => {
  it('matches NaN only with NaN, whatever the tolerance', () => {
    expect(agrees(NaN, NaN, 0)).toBe(true);
    expect(agrees(NaN, 1, Infinity)).toBe(false);
    expect(agrees(1, NaN, Infinity)).toBe(false);
  });
  it('matches an infinity only with the same infinity (unlike tfjs areClose)', () => {
    expect(agrees(Infinity, Infinity, 0)).toBe(true);
    expect(agrees(-Infinity, Infinity, Infinity)).toBe(false);
    expect(agrees(Infinity, NaN, Infinity)).toBe(false);
    expect(agrees(Infinity, 3e38, Infinity)).toBe(false);
  });
  it('reads a float64 beyond float32 range as the infinity float32 rounds it to', () => {
    expect(agrees(1e39, Infinity, 0.1)).toBe(true);
    expect(agrees(-1e39, -Infinity, 0.1)).toBe(true);
  });
  it('with tolerance 0 asks for equality of the float64 value itself', () => {
    expect(agrees(0.375, 0.375, 0)).toBe(true);
    // 0.1 rounds to the float32 0.10000000149...: close, but not equal.
    expect(agrees(0.1, Math.fround(0.1), 0)).toBe(false);
  });
  it('compares the float32 rounding of the engine value within the tolerance', () => {
    expect(agrees(0.1, Math.fround(0.1), 1e-30)).toBe(true); // fround(0.1) equals the oracle exactly
    expect(agrees(1, 1 + 2 ** -20, 2 ** -21)).toBe(false);
    expect(agrees(1, 1 + 2 ** -20, 2 ** -20)).toBe(true);
  });
  it('a NaN tolerance (no bound derived) agrees with no finite difference', () => {
    expect(agrees(1, 1.5, NaN)).toBe(false);
  });
});

describe('sumOfProductsTolerance', () => {
  it('is (n + 2) u sum|terms|', () => {
    expect(sumOfProductsTolerance(3, 4)).toBe(5 * 4 * UNIT_ROUNDOFF);
  });
  it('bounds the real error of float32 accumulation of a dot product', () => {
    // 1000 products of thirds: every term and partial sum rounds in float32.
    const a = Array.from({ length: 1000 }, (_, i) => Math.fround((i % 7) / 3));
    const b = Array.from({ length: 1000 }, (_, i) => Math.fround(((i % 5) - 2) / 3));
    let float32 = 0, exact = 0, sumOfAbs = 0;
    for (let i = 0; i < a.length; i++) {
      float32 = Math.fround(float32 + Math.fround(a[i]! * b[i]!));
      exact += a[i]! * b[i]!;
      sumOfAbs += Math.abs(a[i]! * b[i]!);
    }
    const error = Math.abs(float32 - exact);
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThanOrEqual(sumOfProductsTolerance(1000, sumOfAbs));
  });
});

describe('disagreements', () => {
  it('names the first differing elements with both values and the tolerance', () => {
    const found = disagreements('value of relu#1', [0, 1, 2, NaN], Float32Array.of(0, 1.5, 2, 0), [0, 0.1, 0, 0]);
    expect(found).toEqual([
      { where: 'value of relu#1', index: 1, engine: 1, oracle: 1.5, tolerance: 0.1 },
      { where: 'value of relu#1', index: 3, engine: NaN, oracle: 0, tolerance: 0 },
    ]);
  });
  it('reports a length mismatch instead of comparing', () => {
    expect(disagreements('x', [1, 2], Float32Array.of(1), 0)[0]!.where).toBe('x (length 2 vs 1)');
  });
});
