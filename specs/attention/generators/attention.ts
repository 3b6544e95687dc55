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
import { dyadic, fc, fromFunction, matrix, size, type PlainTensor } from 'propgrade/spec';
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
export function maskOf(kind: Exclude<MaskKind, 'none'>, n: number, m: number): fc.Arbitrary<PlainTensor> {
  const keyIndex = fc.integer({ min: 0, max: m - 1 });
  switch (kind) {
    case 'all-ones':
      return fc.constant(fromFunction([n, m], () => 1));
    case 'causal':
      return fc.constant(causalMask(n, m));
    case 'one-per-row':
      return fc.array(keyIndex, { minLength: n, maxLength: n }).map((keys) => fromFunction([n, m], (k) => (keys[Math.floor(k / m)] === k % m ? 1 : 0)));
    case 'random':
      return fc
        .tuple(fc.array(fc.boolean(), { minLength: n * m, maxLength: n * m }), fc.array(keyIndex, { minLength: n, maxLength: n }))
        .map(([bits, forced]) => fromFunction([n, m], (k) => (bits[k] || forced[Math.floor(k / m)] === k % m ? 1 : 0)));
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

export function caseOfShape({ n, m, d, dv }: AttentionShape, { kinds = CASE_KINDS, masks = MASK_KINDS }: CaseOptions = {}): fc.Arbitrary<AttentionCase> {
  return fc.record({ kind: fc.constantFrom(...kinds), maskKind: fc.constantFrom(...masks) }).chain(({ kind, maskKind }) =>
    fc
      .record({
        Q: matrix(n, d, gridValue()),
        K: matrix(m, d, gridValue()),
        V: matrix(m, dv, gridValue()),
        sources: fc.array(fc.integer({ min: 0, max: m - 1 }), { minLength: m, maxLength: m }),
        rowKinds: kind === 'zero-rows' ? fc.array(fc.constantFrom(...ROW_KINDS), { minLength: n + m, maxLength: n + m }) : fc.constant<RowKind[]>([]),
        mask: maskKind === 'none' ? fc.constant(undefined) : maskOf(maskKind, n, m),
      })
      .map(({ Q, K, V, sources, rowKinds, mask }) => ({ kind, maskKind, ...shaped(kind, Q, K, sources, rowKinds), V, ...(mask ? { mask } : {}) })),
  );
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

export const attentionShape = ({ maxN = 16, maxM = 16, maxD = 8, maxDv = 8 }: SizeOptions = {}): fc.Arbitrary<AttentionShape> =>
  fc.record({ n: size(maxN), m: size(maxM), d: size(maxD), dv: size(maxDv) });

/** A case of any shape within the bounds. */
export const attentionCase = (options: SizeOptions & CaseOptions = {}): fc.Arbitrary<AttentionCase> =>
  attentionShape(options).chain((shape) => caseOfShape(shape, options));

/** attentionByHand's cases: the example's shape, 2 x 2 everywhere, no mask. */
export const byHandCase = (options: Omit<CaseOptions, 'masks'> = {}) => caseOfShape({ n: 2, m: 2, d: 2, dv: 2 }, { ...options, masks: ['none'] });

/** The index of an output entry: a row of Q and a column of V. */
export interface GradCase extends AttentionCase {
  i: number;
  j: number;
}

export const gradCase = (options: SizeOptions & CaseOptions = {}): fc.Arbitrary<GradCase> =>
  attentionCase({ ...options, masks: ['none'] }).chain((c) =>
    fc.record({ i: fc.integer({ min: 0, max: c.Q.shape[0]! - 1 }), j: fc.integer({ min: 0, max: c.V.shape[1]! - 1 }) }).map(({ i, j }) => ({ ...c, i, j })),
  );

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
  return fc.tuple(size(maxK), fc.constantFrom(...kinds)).chain(([k, kind]) =>
    fc.tuple(fc.array(value, { minLength: k, maxLength: k }), fc.integer({ min: 0, max: k - 1 })).map(([xs, top]) => {
      const data =
        kind === 'tied' ? xs.map(() => xs[0]!) : kind === 'one-dominant' ? xs.map((x, i) => (i === top ? x + 16 : x)) : kind === 'large' ? xs.map((x) => x * LARGE_Z) : xs;
      return { kind, z: { shape: [k], data: Float64Array.from(data) } };
    }),
  );
}

/** previousTokenHead's lengths. */
export const headLength = (max: number, min = 1) => (min === 1 ? size(max) : fc.integer({ min, max }));
