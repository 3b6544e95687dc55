/**
 * Attention cases. Sizes are small most of the time and shrink (n queries, m keys, d and dv
 * columns); values lie on the dyadic grid (multiples of 1/8 in [-2, 2]), so Q Kᵀ is exact in
 * float32 and float64 alike. Each case is of a kind that stresses a different path:
 *   general        values as drawn;
 *   tied-scores    every key the same: each row's scores tie, its weights are uniform;
 *   equal-rows     every query the same: equal rows of output wherever the mask rows are equal;
 *   repeated-keys  some keys repeat (with different values): equal scores inside a row;
 *   large          Q and K times 64: scores in the thousands, where a softmax that does not subtract
 *                  its row's maximum overflows (e^710 is Infinity) or underflows to 0/0;
 *   zero-rows      each query and key as drawn, zero, or cancelling (entries in pairs +a, -a: none 0,
 *                  their sum 0): zero scores beside others, and keys or queries that code taking a
 *                  zero row (or a row summing to 0) for padding treats wrongly. On the grid alone a
 *                  zero row needs every entry 0 (one entry in 33 is), so it came up only when d = 1.
 * A mask, when there is one, is 0/1 with a 1 in every row: all ones, causal, random, or a single 1
 * per row.
 */
import { drawArray, drawTensor, dyadic, fc, fromFunction, size, sized, type Draw, type PlainTensor } from 'propgrade/spec';
import { causalMask } from '../arithmetic.ts';

export const CASE_KINDS = ['general', 'tied-scores', 'equal-rows', 'repeated-keys', 'large', 'zero-rows'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const MASK_KINDS = ['none', 'all-ones', 'causal', 'random', 'one-per-row'] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

/** Queries and keys of the large kind are grid values times this. */
export const LARGE = 64;

export const gridValue = () => dyadic({ min: -2, max: 2, denominator: 8 });

export interface AttentionShape {
  n: number;
  m: number;
  d: number;
  dv: number;
}

export interface AttentionCase {
  kind: CaseKind;
  maskKind: MaskKind;
  Q: PlainTensor;
  K: PlainTensor;
  V: PlainTensor;
  /** Absent for the mask kind `none`: the function is called with three arguments. */
  mask?: PlainTensor;
}

export const shapeOf = (c: Pick<AttentionCase, 'Q' | 'K' | 'V'>): AttentionShape => ({ n: c.Q.shape[0]!, m: c.K.shape[0]!, d: c.Q.shape[1]!, dv: c.V.shape[1]! });

/** A failing case as the function's arguments. */
export const asArguments = ({ Q, K, V, mask }: AttentionCase) => ({ Q, K, V, ...(mask ? { mask } : {}) });

const rowsOf = (t: PlainTensor, source: (i: number) => number): PlainTensor => {
  const width = t.shape[1]!;
  return fromFunction(t.shape, (k) => t.data[source(Math.floor(k / width)) * width + (k % width)]!);
};

/** A 0/1 [n, m] mask of a kind, with at least one 1 in every row. */
export const maskOf = (kind: Exclude<MaskKind, 'none'>, n: number, m: number): fc.Arbitrary<PlainTensor> => sized({}, (_, draw) => drawMask(draw, kind, n, m));

/**
 * A mask drawn by key. Key indices are drawn over `maxM` keys and folded into m (`% m`), so that
 * they stay keys while m shrinks (generators/sized.ts).
 */
export function drawMask(draw: Draw, kind: Exclude<MaskKind, 'none'>, n: number, m: number, maxM = m): PlainTensor {
  const keys = (name: string) => drawArray(draw, name, n, fc.integer({ min: 0, max: maxM - 1 })).map((j) => j % m);
  switch (kind) {
    case 'all-ones':
      return fromFunction([n, m], () => 1);
    case 'causal':
      return causalMask(n, m);
    case 'one-per-row': {
      const key = keys('mask key');
      return fromFunction([n, m], (k) => (key[Math.floor(k / m)] === k % m ? 1 : 0));
    }
    case 'random': {
      const bits = Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => draw(`mask bit[${i},${j}]`, fc.boolean(), { entry: true })));
      const forced = keys('mask forced');
      return fromFunction([n, m], (k) => (bits[Math.floor(k / m)]![k % m] || forced[Math.floor(k / m)] === k % m ? 1 : 0));
    }
  }
}

export const ROW_KINDS = ['as drawn', 'zero', 'cancelling'] as const;
export type RowKind = (typeof ROW_KINDS)[number];

/** Each row of `t` as drawn, zero, or cancelling: +a, -a, +b, -b ... with a, b from its entries made non-zero (an odd width keeps its last entry 0). */
function rowsOfKinds(t: PlainTensor, kinds: readonly RowKind[]): PlainTensor {
  const width = t.shape[1]!;
  return fromFunction(t.shape, (k) => {
    const [row, col] = [Math.floor(k / width), k % width];
    if (kinds[row] === 'as drawn') return t.data[k]!;
    if (kinds[row] === 'zero' || (col === width - 1 && width % 2 === 1)) return 0;
    const a = Math.abs(t.data[k - (col % 2)]!) + 1 / 8;
    return col % 2 === 0 ? a : -a;
  });
}

/** The case's queries and keys shaped by its kind (`rowKinds`: the zero-rows kind's, queries' then keys'). */
function shaped(kind: CaseKind, Q: PlainTensor, K: PlainTensor, sources: number[], rowKinds: readonly RowKind[]): { Q: PlainTensor; K: PlainTensor } {
  switch (kind) {
    case 'general':
      return { Q, K };
    case 'tied-scores':
      return { Q, K: rowsOf(K, () => 0) };
    case 'equal-rows':
      return { Q: rowsOf(Q, () => 0), K };
    case 'repeated-keys':
      // Key j copies key sources[j] <= j, and the last key copies the first one (when there are two keys or more).
      return { Q, K: rowsOf(K, (j) => (j > 0 && j === K.shape[0]! - 1 ? 0 : Math.min(sources[j]!, j))) };
    case 'large':
      return { Q: { shape: Q.shape, data: Q.data.map((x) => x * LARGE) }, K: { shape: K.shape, data: K.data.map((x) => x * LARGE) } };
    case 'zero-rows':
      return { Q: rowsOfKinds(Q, rowKinds.slice(0, Q.shape[0]!)), K: rowsOfKinds(K, rowKinds.slice(Q.shape[0]!)) };
  }
}

export const caseOfShape = (shape: AttentionShape, options: CaseOptions = {}): fc.Arbitrary<AttentionCase> => sized({}, (_, draw) => drawAttentionCase(draw, shape, options));

/** An attention case of this shape drawn by key (`bounds`: the largest shape it may shrink from). */
export function drawAttentionCase(draw: Draw, { n, m, d, dv }: AttentionShape, { kinds = CASE_KINDS, masks = MASK_KINDS }: CaseOptions = {}, bounds: AttentionShape = { n, m, d, dv }): AttentionCase {
  const kind = draw('kind', fc.constantFrom(...kinds));
  const maskKind = draw('mask kind', fc.constantFrom(...masks));
  const Q = drawTensor(draw, 'Q', [n, d], gridValue());
  const K = drawTensor(draw, 'K', [m, d], gridValue());
  const V = drawTensor(draw, 'V', [m, dv], gridValue());
  const sources = drawArray(draw, 'sources', m, fc.integer({ min: 0, max: bounds.m - 1 })).map((j) => j % m);
  // Keyed by row, queries' then keys', so that each row keeps its kind while n or m shrinks.
  const rowKind = (name: string, count: number) => Array.from({ length: count }, (_, i) => draw(`${name}[${i}]`, fc.constantFrom(...ROW_KINDS), { entry: true }));
  const rowKinds = kind === 'zero-rows' ? [...rowKind('Q row kind', n), ...rowKind('K row kind', m)] : [];
  const mask = maskKind === 'none' ? undefined : drawMask(draw, maskKind, n, m, bounds.m);
  return { kind, maskKind, ...shaped(kind, Q, K, sources, rowKinds), V, ...(mask ? { mask } : {}) };
}

export interface CaseOptions {
  kinds?: readonly CaseKind[];
  masks?: readonly MaskKind[];
}

export interface SizeOptions {
  maxN?: number;
  maxM?: number;
  maxD?: number;
  maxDv?: number;
}

export const attentionShape = (options: SizeOptions = {}): fc.Arbitrary<AttentionShape> => fc.record(attentionSizes(options));

/** The four sizes of a case, each drawn on its own (generators/sized.ts shrinks them first). */
export const attentionSizes = ({ maxN = 16, maxM = 16, maxD = 8, maxDv = 8 }: SizeOptions = {}) => ({ n: size(maxN), m: size(maxM), d: size(maxD), dv: size(maxDv) });

/** The largest shape of the bounds. */
export const largestShape = ({ maxN = 16, maxM = 16, maxD = 8, maxDv = 8 }: SizeOptions = {}): AttentionShape => ({ n: maxN, m: maxM, d: maxD, dv: maxDv });

/**
 * A case of any shape within the bounds, with `more` drawn beside it (vectors or indices a law
 * needs, sized by the case): the sizes shrink first, keeping every value drawn.
 */
export function attentionCaseWith<E>(options: SizeOptions & CaseOptions, more: (c: AttentionCase, draw: Draw, shape: AttentionShape) => E): fc.Arbitrary<{ c: AttentionCase } & E> {
  return sized(attentionSizes(options), (shape, draw) => {
    const c = drawAttentionCase(draw, shape, options, largestShape(options));
    return { c, ...more(c, draw, shape) };
  });
}

/** A case of any shape within the bounds. */
export const attentionCase = (options: SizeOptions & CaseOptions = {}): fc.Arbitrary<AttentionCase> => attentionCaseWith(options, () => ({})).map(({ c }) => c);

/** attentionByHand's cases: the example's shape, 2 x 2 everywhere, no mask. */
export const byHandCase = (options: Omit<CaseOptions, 'masks'> = {}) => caseOfShape({ n: 2, m: 2, d: 2, dv: 2 }, { ...options, masks: ['none'] });

/** The index of an output entry: a row of Q and a column of V. */
export interface GradCase extends AttentionCase {
  i: number;
  j: number;
}

export const gradCase = (options: SizeOptions & CaseOptions = {}): fc.Arbitrary<GradCase> => {
  const { n: maxN, dv: maxDv } = largestShape(options);
  return attentionCaseWith({ ...options, masks: ['none'] }, (_, draw, { n, dv }) => ({
    i: draw('i', fc.integer({ min: 0, max: maxN - 1 })) % n,
    j: draw('j', fc.integer({ min: 0, max: maxDv - 1 })) % dv,
  })).map(({ c, i, j }) => ({ ...c, i, j }));
};

export const Z_KINDS = ['general', 'tied', 'one-dominant', 'large'] as const;
export type ZKind = (typeof Z_KINDS)[number];

/** z of the large kind is a grid value times this: entries far beyond 710, where e^z overflows. */
export const LARGE_Z = 512;

export interface JacobianCase {
  kind: ZKind;
  z: PlainTensor;
}

/** softmaxJacobian's z: length 1..maxK, grid values in [-4, 4], all equal, one far above the rest, or large. */
export function jacobianCase({ maxK = 16, kinds = Z_KINDS }: { maxK?: number; kinds?: readonly ZKind[] } = {}): fc.Arbitrary<JacobianCase> {
  const value = dyadic({ min: -4, max: 4, denominator: 8 });
  return sized({ k: size(maxK) }, ({ k }, draw) => {
    const kind = draw('kind', fc.constantFrom(...kinds));
    const xs = drawArray(draw, 'z', k, value);
    const top = draw('top', fc.integer({ min: 0, max: maxK - 1 })) % k;
    const data =
      kind === 'tied' ? xs.map(() => xs[0]!) : kind === 'one-dominant' ? xs.map((x, i) => (i === top ? x + 16 : x)) : kind === 'large' ? xs.map((x) => x * LARGE_Z) : xs;
    return { kind, z: { shape: [k], data: Float64Array.from(data) } };
  });
}

/** previousTokenHead's lengths. */
export const headLength = (max: number, min = 1) => (min === 1 ? size(max) : fc.integer({ min, max }));
