// Attention cases: well-formed for the lab's functions, and hitting what each kind is for.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { entry, scaledScores } from '../arithmetic.ts';
import { attentionCase, byHandCase, CASE_KINDS, caseOfShape, gradCase, jacobianCase, LARGE_Z, MASK_KINDS, maskOf, shapeOf, type AttentionCase } from '../generators/attention.ts';

const draw = <T>(arb: fc.Arbitrary<T>, numRuns = 300) => fc.sample(arb, { numRuns, seed: 42 });
const rows = (t: { shape: number[]; data: Float64Array }) => Array.from({ length: t.shape[0]! }, (_, i) => Array.from(t.data.subarray(i * t.shape[1]!, (i + 1) * t.shape[1]!)));
const share = <T>(cases: T[], predicate: (c: T) => boolean) => cases.filter(predicate).length / cases.length;

describe('attentionCase', () => {
  test('Q [n, d], K [m, d], V [m, dv] on the 1/8 grid (times 64 for the large kind), a mask [n, m] only when its kind has one', () => {
    for (const c of draw(attentionCase({ maxN: 6, maxM: 6, maxD: 3, maxDv: 3 }))) {
      const { n, m, d, dv } = shapeOf(c);
      expect([c.K.shape, c.V.shape]).toEqual([[m, d], [m, dv]]);
      const unit = c.kind === 'large' ? 8 / 64 : 8;
      expect([...c.Q.data, ...c.K.data, ...c.V.data].every((x) => Number.isInteger(x * unit * (c.kind === 'large' ? 64 : 1)))).toBe(true);
      expect(c.mask === undefined).toBe(c.maskKind === 'none');
      if (c.mask) expect(c.mask.shape).toEqual([n, m]);
    }
  });

  test('every kind and every mask kind comes up', () => {
    const cases = draw(attentionCase(), 500);
    for (const kind of CASE_KINDS) expect(share(cases, (c) => c.kind === kind), kind).toBeGreaterThan(0.1);
    for (const kind of MASK_KINDS) expect(share(cases, (c) => c.maskKind === kind), kind).toBeGreaterThan(0.1);
  });

  const scoreRows = (c: AttentionCase) => rows(scaledScores(c.Q, c.K));
  test('tied-scores: every row of scores is constant; equal-rows: every query is the same', () => {
    for (const c of draw(caseOfShape({ n: 3, m: 4, d: 2, dv: 2 }, { kinds: ['tied-scores'] }), 50)) for (const row of scoreRows(c)) expect(new Set(row).size).toBe(1);
    for (const c of draw(caseOfShape({ n: 3, m: 4, d: 2, dv: 2 }, { kinds: ['equal-rows'] }), 50)) expect(new Set(rows(c.Q).map(String)).size).toBe(1);
  });

  test('repeated-keys: with two keys or more, some key repeats', () => {
    for (const m of [2, 3, 7]) for (const c of draw(caseOfShape({ n: 2, m, d: 3, dv: 1 }, { kinds: ['repeated-keys'] }), 50)) expect(new Set(rows(c.K).map(String)).size).toBeLessThan(m);
  });

  test('zero-rows: keys of zeros beside other keys, and rows that are not zero but sum to 0 (an odd d keeps its last entry 0)', () => {
    const sum = (row: number[]) => row.reduce((a, b) => a + b, 0);
    const zero = (row: number[]) => row.every((x) => x === 0);
    const cancelling = (row: number[]) => !zero(row) && sum(row) === 0;
    for (const d of [2, 3, 4]) {
      const cases = draw(caseOfShape({ n: 3, m: 4, d, dv: 2 }, { kinds: ['zero-rows'] }));
      expect(share(cases, (c) => rows(c.K).some(zero) && !rows(c.K).every(zero)), `d = ${d}`).toBeGreaterThan(0.5);
      expect(share(cases, (c) => rows(c.Q).some(cancelling) && rows(c.K).some(cancelling)), `d = ${d}`).toBeGreaterThan(0.3);
    }
  });

  test('large: in nearly every case a score passes 710, where exp overflows (measured 98% over 300)', () => {
    const cases = draw(attentionCase({ kinds: ['large'] }));
    expect(share(cases, (c) => scoreRows(c).some((row) => row.some((s) => Math.abs(s) > 710)))).toBeGreaterThan(0.9);
  });

  test('byHandCase is 2 x 2 everywhere and unmasked; gradCase indexes an output entry', () => {
    for (const c of draw(byHandCase(), 50)) expect([c.Q.shape, c.K.shape, c.V.shape, c.mask]).toEqual([[2, 2], [2, 2], [2, 2], undefined]);
    for (const c of draw(gradCase({ maxN: 5, maxDv: 5 }), 100)) {
      expect(c.i).toBeLessThan(c.Q.shape[0]!);
      expect(c.j).toBeLessThan(c.V.shape[1]!);
      expect(c.mask).toBeUndefined();
    }
  });

  test('sizes shrink: a property that fails from 3 keys on is shrunk to exactly 3 keys of zeros', () => {
    const details = fc.check(fc.property(attentionCase(), (c) => c.K.shape[0]! < 3), { seed: 1 });
    expect(details.failed).toBe(true);
    const [c] = details.counterexample!;
    expect(c.K.shape[0]).toBe(3);
    expect([c.Q.shape[0], c.Q.shape[1], c.V.shape[1]]).toEqual([1, 1, 1]);
    expect(Array.from(c.K.data).every((x) => x === 0)).toBe(true);
  });
});

describe('masks', () => {
  test.each(['all-ones', 'causal', 'random', 'one-per-row'] as const)('%s: 0/1 with a 1 in every row', (kind) => {
    for (const [n, m] of [[1, 1], [3, 1], [1, 4], [5, 3], [6, 6]] as const) {
      for (const mask of draw(maskOf(kind, n, m), 30)) {
        expect(mask.shape).toEqual([n, m]);
        for (const row of rows(mask)) {
          expect(row.every((x) => x === 0 || x === 1)).toBe(true);
          expect(row).toContain(1);
        }
      }
    }
  });

  test('causal: mask[i][j] = 1 exactly when j <= i; one-per-row: a single 1 in each row; random masks some positions', () => {
    const [causal] = draw(maskOf('causal', 3, 4), 1);
    expect(rows(causal!)).toEqual([[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0]]);
    for (const mask of draw(maskOf('one-per-row', 4, 5), 30)) for (const row of rows(mask)) expect(row.filter((x) => x === 1)).toHaveLength(1);
    expect(share(draw(maskOf('random', 4, 5), 100), (mask) => mask.data.includes(0))).toBeGreaterThan(0.9);
  });
});

describe('jacobianCase', () => {
  test('ties, a dominant entry and entries beyond 709 (where exp overflows) all come up', () => {
    const cases = draw(jacobianCase(), 400);
    expect(share(cases, (c) => c.kind === 'tied' && new Set(c.z.data).size === 1)).toBeGreaterThan(0.15);
    expect(share(cases, (c) => c.z.data.some((x) => Math.abs(x) > 709))).toBeGreaterThan(0.15);
    expect(cases.every((c) => c.kind !== 'large' || c.z.data.every((x) => Number.isInteger((x / LARGE_Z) * 8)))).toBe(true);
    expect(share(cases, (c) => c.z.shape[0]! >= 2)).toBeGreaterThan(0.6);
  });
});

test('entry reads row-major', () => {
  expect(entry({ shape: [2, 3], data: Float64Array.of(0, 1, 2, 3, 4, 5) }, 1, 2)).toBe(5);
});
