/**
 * Numbers that find engine bugs. `fc.double` puts most samples near zero (FIELD-NOTES), where
 * float32 flushes them and flips relu/clamp decisions by accident; these arbitraries hit kinks on
 * purpose instead: an exact dyadic grid (sums and products stay exact in float32 and float64 alike)
 * with the kink values pinned in, and doubles in named magnitude classes for the tolerance path.
 */
import fc from 'fast-check';

export interface GridOptions {
  min: number;
  max: number;
  /** Grid step is 1/denominator; a power of two keeps the grid exact in float32. Default 8. */
  denominator?: number;
}

/** Multiples of 1/denominator in [min, max]. */
export function dyadic({ min, max, denominator = 8 }: GridOptions): fc.Arbitrary<number> {
  const lo = Math.ceil(min * denominator);
  const hi = Math.floor(max * denominator);
  if (lo > hi) throw new Error(`dyadic: no multiple of 1/${denominator} in [${min}, ${max}]`);
  return fc.integer({ min: lo, max: hi }).map((k) => k / denominator + 0); // + 0 turns -0 into 0
}

export interface KinkyOptions extends GridOptions {
  /** Values where a relu/clamp/abs changes branch, pinned in beside the grid. Default [0]. */
  kinks?: number[];
  /** Share of draws that are exactly a kink value. Default 1/4. */
  kinkShare?: number;
}

/** The dyadic grid with the kink values drawn on purpose (about `kinkShare` of the time). */
export function kinky({ kinks = [0], kinkShare = 0.25, ...grid }: KinkyOptions): fc.Arbitrary<number> {
  const pinned = kinks.filter((k) => k >= grid.min && k <= grid.max);
  if (pinned.length === 0) return dyadic(grid);
  const weight = Math.max(1, Math.round((100 * kinkShare) / (1 - kinkShare)));
  return fc.oneof({ arbitrary: dyadic(grid), weight: 100 }, { arbitrary: fc.constantFrom(...pinned), weight });
}

/** Magnitude classes for values off the grid: |x| in [2^lo, 2^hi), either sign. */
export const MAGNITUDES = {
  tiny: { lo: -20, hi: -10 },
  unit: { lo: -3, hi: 2 },
  large: { lo: 10, hi: 20 },
} as const;
export type Magnitude = keyof typeof MAGNITUDES;

/** A double of one magnitude class, spread evenly over its binades (not piled near zero). */
export function magnitude(kind: Magnitude): fc.Arbitrary<number> {
  const { lo, hi } = MAGNITUDES[kind];
  return fc
    .tuple(fc.boolean(), fc.integer({ min: lo, max: hi - 1 }), fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true }))
    .map(([negative, exponent, mantissa]) => (negative ? -1 : 1) * mantissa * 2 ** exponent);
}

export const unit = () => magnitude('unit');

/** Labels for coverage: which class a value is in, and whether it sits on a kink. */
export function labelValue(x: number, kinks: number[] = [0]): string[] {
  if (Number.isNaN(x)) return ['NaN'];
  if (!Number.isFinite(x)) return ['infinite'];
  const labels: string[] = [kinks.includes(x) ? 'kink' : 'off-kink'];
  const a = Math.abs(x);
  if (a === 0) return labels;
  for (const [name, { lo, hi }] of Object.entries(MAGNITUDES)) if (a >= 2 ** lo && a < 2 ** hi) labels.push(name);
  return labels;
}
