/**
 * Float32-aware comparison of a float64 engine value against a float32 oracle value.
 *   - NaN matches only NaN, at the same position; ±Infinity only the same infinity (tfjs's own
 *     areClose calls any two non-finite values equal: not here).
 *   - Where the computation is exact on the dyadic grid, equality is exact.
 *   - Elsewhere |fround(engine) - oracle| <= tolerance, a bound derived from the computation
 *     (replay.ts), never a fixed epsilon.
 */

/** float32's unit roundoff. */
export const UNIT_ROUNDOFF = 2 ** -24;

/** The error bound of a float32 sum of n products whose absolute values sum to `sumOfAbs`. */
export const sumOfProductsTolerance = (n: number, sumOfAbs: number) => (n + 2) * UNIT_ROUNDOFF * sumOfAbs;

/** The oracle's precision: float32 (TensorFlow.js; the engine's float64 value is rounded first) or float64 (PyTorch). */
export type Precision = 'float32' | 'float64';

/** Does the engine's `expected` agree with the oracle's `actual`, given the bound `tolerance` (0: exact)? */
export function agrees(expected: number, actual: number, tolerance: number, precision: Precision = 'float32'): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  const rounded = precision === 'float32' ? Math.fround(expected) : expected;
  if (!Number.isFinite(rounded) || !Number.isFinite(actual)) return rounded === actual;
  if (tolerance === 0) return expected === actual;
  return Math.abs(rounded - actual) <= tolerance; // a NaN tolerance agrees with nothing
}

export interface Disagreement {
  /** Which value: a node of the graph, a leaf's gradient, a lab output. */
  where: string;
  /** Flat (row-major) index of the first differing element. */
  index: number;
  engine: number;
  oracle: number;
  tolerance: number;
}

/** The elements where `expected` and `actual` disagree (at most `limit`). */
export function disagreements(
  where: string,
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
  tolerance: ArrayLike<number> | number,
  limit = 3,
  precision: Precision = 'float32',
): Disagreement[] {
  if (expected.length !== actual.length) {
    return [{ where: `${where} (length ${expected.length} vs ${actual.length})`, index: -1, engine: NaN, oracle: NaN, tolerance: NaN }];
  }
  const found: Disagreement[] = [];
  for (let i = 0; i < expected.length && found.length < limit; i++) {
    const tol = typeof tolerance === 'number' ? tolerance : tolerance[i]!;
    if (!agrees(expected[i]!, actual[i]!, tol, precision)) found.push({ where, index: i, engine: expected[i]!, oracle: actual[i]!, tolerance: tol });
  }
  return found;
}

export const formatDisagreement = ({ where, index, engine, oracle, tolerance }: Disagreement) =>
  `${where}[${index}]: engine ${engine}, oracle ${oracle}, ${tolerance === 0 ? 'exact' : `tolerance ${tolerance.toExponential(2)}`}`;
