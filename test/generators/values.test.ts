// Values, shapes and tensors: on their grid, in their range, with the edges and kinks they promise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelRnnShape, rnnShape, size, vocabSize } from '../../generators/shapes.ts';
import { matrix, tensorOf, vector } from '../../generators/tensors.ts';
import { dyadic, kinky, labelValue, magnitude, MAGNITUDES } from '../../generators/values.ts';

const draw = <T>(arb: fc.Arbitrary<T>, numRuns = 2000) => fc.sample(arb, { numRuns, seed: 42 });

describe('dyadic', () => {
  it('draws multiples of 1/denominator inside [min, max], both ends included', () => {
    const xs = draw(dyadic({ min: -1, max: 0.5, denominator: 4 }));
    expect(xs.every((x) => Number.isInteger(x * 4) && x >= -1 && x <= 0.5)).toBe(true);
    expect(new Set(xs)).toEqual(new Set([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5]));
    expect(xs.some((x) => Object.is(x, -0))).toBe(false);
  });
  it('refuses a range holding no grid point', () => {
    expect(() => dyadic({ min: 0.13, max: 0.2 })).toThrow('dyadic: no multiple of 1/8 in [0.13, 0.2]'); // 1/8 < 0.13, 2/8 > 0.2
  });
});

describe('kinky', () => {
  it('pins its kink values in at about the share asked for (measured 0.29 for 0.25 plus grid hits)', () => {
    const xs = draw(kinky({ min: -2, max: 2, kinks: [0, 0.5], kinkShare: 0.25 }));
    const share = xs.filter((x) => x === 0 || x === 0.5).length / xs.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  });
  it('leaves out kinks outside the range', () => {
    expect(draw(kinky({ min: 1, max: 2, kinks: [0] })).includes(0)).toBe(false);
  });
});

describe('magnitude classes', () => {
  it.each(Object.keys(MAGNITUDES) as (keyof typeof MAGNITUDES)[])('%s lands in its binades with both signs', (kind) => {
    const { lo, hi } = MAGNITUDES[kind];
    const xs = draw(magnitude(kind), 500);
    expect(xs.every((x) => Math.abs(x) >= 2 ** lo && Math.abs(x) < 2 ** hi)).toBe(true);
    expect(xs.some((x) => x < 0) && xs.some((x) => x > 0)).toBe(true);
    expect(xs.every((x) => labelValue(x).includes(kind))).toBe(true);
  });
  it('labels kinks and non-finite values', () => {
    expect(labelValue(0)).toEqual(['kink']);
    expect(labelValue(NaN)).toEqual(['NaN']);
    expect(labelValue(0.5, [0.5])).toEqual(['kink', 'unit']);
  });
});

describe('shapes', () => {
  it('size draws 1..max, mostly small, with both edges', () => {
    const ns = draw(size(32));
    expect(ns.every((n) => Number.isInteger(n) && n >= 1 && n <= 32)).toBe(true);
    expect(ns.filter((n) => n === 1).length).toBeGreaterThan(100);
    expect(ns.filter((n) => n === 32).length).toBeGreaterThan(50);
    expect(ns.filter((n) => n <= 4).length / ns.length).toBeGreaterThan(0.6);
  });
  it('rnnShape covers every label of dim and N', () => {
    const labels = new Set(draw(rnnShape()).flatMap((s) => labelRnnShape(s)));
    for (const name of ['dim', 'N']) for (const bin of ['1', '2..4', '5..max-1', 'max']) expect(labels).toContain(`${name}=${bin}`);
  });
  it('vocabSize stays in 1..max', () => {
    expect(draw(vocabSize({ max: 5 })).every((v) => v >= 1 && v <= 5)).toBe(true);
  });
  it('refuses a size bound below 1', () => {
    expect(() => size(0)).toThrow('size: max must be at least 1, got 0');
  });
});

describe('tensors', () => {
  it('fill their shape row-major with the values drawn', () => {
    const [t] = draw(tensorOf([2, 3], fc.constant(1.5)), 1);
    expect(t).toEqual({ shape: [2, 3], data: new Float64Array(6).fill(1.5) });
    expect(draw(vector(4, dyadic({ min: 0, max: 1 })), 10).every((v) => v.data.length === 4)).toBe(true);
    expect(draw(matrix(2, 5, dyadic({ min: 0, max: 1 })), 10).every((m) => m.data.length === 10 && m.shape.join() === '2,5')).toBe(true);
    expect(draw(tensorOf([], fc.constant(2)), 1)[0]!.data).toEqual(Float64Array.of(2));
  });
});
