/**
 * Task attention_function: attention(Q, K, V, mask?) for any sizes, with an optional 0/1 mask. The
 * public properties are laws the student's own outputs must obey, so they need no reference: what
 * permuting, shifting or repeating the keys does, what flipping features of Q and K together does,
 * what a mask does to the weights and the bounds softmax puts on them, and that every output row is
 * a weighted mean of the value rows its query may see.
 */
import { defineTask, drawArray, example, expectShape, expectTensorClose, fc, Mismatch, plainOf, property, type Draw, type LabClient, type Plain, type PlainTensor } from 'propgrade/spec';
import { allowed, concatColumns, entry, eye, pickColumns, pickRows, scale, scaledScores } from '../arithmetic.ts';
import * as lab from '../example.ts';
import { attention } from '../exports.ts';
import { asArguments, attentionCase, attentionCaseWith, gridValue, shapeOf, type AttentionCase } from '../generators/attention.ts';
import { expectFinite } from './matchers.ts';

export const WHAT = 'attention(Q, K, V, mask)';

type Call = Pick<AttentionCase, 'Q' | 'K' | 'V' | 'mask'>;
export const run = (student: LabClient, c: Call) => attention.call(student, c);
/** The student's answer for `c`, checked to be a finite [n, dv] output. */
const checked = (answer: Plain, c: Call, what = WHAT) => expectFinite(expectShape(answer, [c.Q.shape[0]!, c.V.shape[1]!], what), what);
/** The student's output, checked to be [n, dv]. */
const output = async (student: LabClient, c: Call, what = WHAT) => checked(await run(student, c), c, what);

const SIZES = { maxN: 16, maxM: 16, maxD: 8, maxDv: 8 };
/** Masked cases only: for the laws about what a mask does. */
const MASKED = ['all-ones', 'causal', 'random', 'one-per-row'] as const;

const indices = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A permutation of 0..n-1: one of 0..max-1 drawn whole, keeping those below n (so it stays one while n shrinks). */
const permutationOf = (draw: Draw, name: string, n: number, max: number): number[] =>
  draw(name, fc.shuffledSubarray(indices(max), { minLength: max, maxLength: max })).filter((i) => i < n);

/** Each output entry lies between the smallest and the largest V[j][c] over the keys j its query may see. */
export function expectWeightedMeans(out: PlainTensor, c: Call): void {
  const { n, m, dv } = shapeOf(c);
  for (let i = 0; i < n; i++) {
    for (let col = 0; col < dv; col++) {
      const seen = indices(m).filter((j) => allowed(c.mask, i, j)).map((j) => entry(c.V, j, col));
      const [lo, hi] = [Math.min(...seen), Math.max(...seen)];
      const x = entry(out, i, col);
      const slack = 1e-9 * (1 + Math.max(Math.abs(lo), Math.abs(hi)));
      if (!(x >= lo - slack && x <= hi + slack)) {
        throw new Mismatch(
          `${WHAT}[${i}][${col}] is ${x}, but it must be a weighted mean of V[j][${col}] over the keys j query ${i} may attend to, so between ${lo} and ${hi} ` +
            '(weights are non-negative and sum to 1; a NaN or an Infinity usually means exp overflowed: subtract each row\'s largest score first).',
          plainOf([2], [lo, hi]),
          x,
        );
      }
    }
  }
}

/**
 * The bounds softmax itself puts on an allowed weight: with M the row's largest allowed score and c
 * its number of allowed keys, e^(s - M) / c <= w <= e^(s - M) (the sum of the row's exps lies
 * between 1 and c). An allowed key whose weight is 0 while its score is near the others' shows.
 */
function weightBounds(scores: PlainTensor, mask: PlainTensor | undefined, i: number): { lo: number; hi: number }[] {
  const m = scores.shape[1]!;
  const keys = indices(m).filter((j) => allowed(mask, i, j));
  const largest = Math.max(...keys.map((j) => entry(scores, i, j)));
  return indices(m).map((j) => {
    const top = Math.exp(entry(scores, i, j) - largest);
    return allowed(mask, i, j) ? { lo: top / keys.length, hi: top } : { lo: 0, hi: 0 };
  });
}

/** Weights read through V = eye(m): masked positions exactly 0, allowed ones within softmax's bounds, every row summing to 1. */
export function expectMaskedWeights(weights: PlainTensor, c: Pick<Call, 'Q' | 'K' | 'mask'>): void {
  const [n, m] = weights.shape as [number, number];
  const { mask } = c;
  const scores = scaledScores(c.Q, c.K);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    const bounds = weightBounds(scores, mask, i);
    for (let j = 0; j < m; j++) {
      const w = entry(weights, i, j);
      if (!allowed(mask, i, j) && w !== 0) {
        throw new Mismatch(`the weight of query ${i} on key ${j} is ${w}, but mask[${i}][${j}] = 0: a masked position must get weight exactly 0 (with V = eye(m), attention returns the weights).`, 0, w);
      }
      if (!(w >= 0 && w <= 1)) throw new Mismatch(`the weight of query ${i} on key ${j} is ${w}: weights lie in [0, 1] (with V = eye(m), attention returns the weights).`, undefined, w);
      const { lo, hi } = bounds[j]!;
      // Relative slack for scores rounded another way; absolute slack where e^(s - M) is subnormal.
      if (!(w >= lo * (1 - 1e-9) - 1e-300 && w <= hi * (1 + 1e-9) + 1e-300)) {
        throw new Mismatch(
          `the weight of query ${i} on key ${j} is ${w}, but its score s = ${entry(scores, i, j)} (q·k/√d) puts it between e^(s - M) / c = ${lo} and e^(s - M) = ${hi}, ` +
            `M = the largest score query ${i} may attend to, c = the number of keys it may attend to: a key it may attend to is not left out, whatever its score or its values (with V = eye(m), attention returns the weights).`,
          plainOf([2], [lo, hi]),
          w,
        );
      }
      sum += w;
    }
    if (!(Math.abs(sum - 1) <= 1e-9)) throw new Mismatch(`the weights of query ${i} sum to ${sum}, not 1 (with V = eye(m), attention returns the weights).`, 1, sum);
  }
}

export default defineTask({
  id: 'attention_function',
  title: 'Scaled dot-product attention, with an optional mask',
  points: 1,
  exports: [attention],
  rules: [lab.noHardcodedExample],
  properties: [
    example('lab-example', "attention(Q, K, V) on the lab's example, then with the causal mask", async (student) => {
      expectTensorClose(await run(student, { Q: lab.Q, K: lab.K, V: lab.V }), lab.answers.output, { what: 'attention(Q, K, V)' });
      expectTensorClose(await run(student, { Q: lab.Q, K: lab.K, V: lab.V, mask: lab.mask }), lab.answers.maskedOutput, { what: 'attention(Q, K, V, causal mask)' });
    }),

    property({
      id: 'weighted-means',
      title: 'every output entry lies between the smallest and largest value its query may attend to (scores in the thousands among the cases)',
      visibility: 'public',
      runs: 25,
      callsUpFront: true,
      cases: attentionCase(SIZES),
      show: asArguments,
      async check(student, c) {
        expectWeightedMeans(await output(student, c), c);
      },
    }),

    property({
      id: 'masked-weights',
      title:
        "with V = eye(m) the output is the weights: a masked position gets exactly 0, an allowed one between e^(s - M) / c and e^(s - M) (softmax's own bounds), every row sums to 1 (scores in the thousands or of exactly 0 in most cases)",
      visibility: 'public',
      runs: 25,
      callsUpFront: true,
      // Half of the cases where masking goes wrong most: scores in the thousands (a penalty too small, an overflow) and scores of 0 (a mask by multiplication).
      cases: fc.oneof(attentionCase({ ...SIZES, masks: MASKED }), attentionCase({ ...SIZES, masks: MASKED, kinds: ['large', 'zero-rows'] })),
      show: asArguments,
      async check(student, c) {
        const { n, m } = shapeOf(c);
        const weights = expectShape(await run(student, { ...c, V: eye(m) }), [n, m], `${WHAT} with V = eye(m)`);
        expectMaskedWeights(weights, c);
      },
    }),

    property({
      id: 'permuting-keys',
      title: 'permuting the keys and their values together (and the mask columns with them) leaves the output unchanged',
      visibility: 'public',
      runs: 20,
      callsUpFront: true,
      cases: attentionCaseWith(SIZES, (_, draw, { m }) => ({ order: permutationOf(draw, 'order', m, SIZES.maxM) })),
      show: ({ c, order }) => ({ ...asArguments(c), order }),
      async check(student, { c, order }) {
        const permuted = { Q: c.Q, K: pickRows(c.K, order), V: pickRows(c.V, order), ...(c.mask ? { mask: pickColumns(c.mask, order) } : {}) };
        const [answer, other] = await Promise.all([run(student, c), run(student, permuted)]);
        const mine = checked(answer, c);
        expectTensorClose(other, mine, { what: `${WHAT} with keys, values and mask columns in the order [${order.join(', ')}] (expected: your output in the original order)` });
      },
    }),

    property({
      id: 'shifting-keys',
      title: 'adding one vector u to every key adds the constant q_i·u/√d to row i of the scores, which leaves the output unchanged',
      visibility: 'public',
      runs: 20,
      callsUpFront: true,
      cases: attentionCaseWith(SIZES, (_, draw, { d }) => ({ u: drawArray(draw, 'u', d, gridValue()) })),
      show: ({ c, u }) => ({ ...asArguments(c), u: plainOf([u.length], u) }),
      async check(student, { c, u }) {
        const shifted = { shape: c.K.shape, data: c.K.data.map((x, k) => x + u[k % u.length]!) };
        const [answer, other] = await Promise.all([run(student, c), run(student, { ...c, K: shifted })]);
        const mine = checked(answer, c);
        expectTensorClose(other, mine, { what: `${WHAT} with u added to every key (expected: your output without it)` });
      },
    }),

    property({
      id: 'flipping-features',
      title: 'flipping the sign of some features (the same columns of Q and K) leaves every score q·k, hence the output, unchanged (queries and keys of zeros or summing to 0 among the cases)',
      visibility: 'public',
      runs: 20,
      callsUpFront: true,
      // Half of the cases of the zero-rows kind: a flip turns a row summing to 0 into one that does not.
      cases: fc.oneof(...[{}, { kinds: ['zero-rows'] as const }].map((kinds) =>
        attentionCaseWith({ ...SIZES, ...kinds }, (_c, draw, { d }) => ({ signs: Array.from({ length: d }, (_, k) => draw(`sign[${k}]`, fc.constantFrom(1, -1), { entry: true })) })),
      )),
      show: ({ c, signs }) => ({ ...asArguments(c), signs: plainOf([signs.length], signs) }),
      async check(student, { c, signs }) {
        const flipped = (t: PlainTensor) => ({ shape: t.shape, data: t.data.map((x, k) => signs[k % signs.length]! * x + 0) });
        const [answer, other] = await Promise.all([run(student, c), run(student, { ...c, Q: flipped(c.Q), K: flipped(c.K) })]);
        const mine = checked(answer, c);
        expectTensorClose(other, mine, {
          what: `${WHAT} with the columns of Q and K multiplied by [${signs.join(', ')}] (expected: your output without it)`,
        });
      },
    }),

    property({
      id: 'scaling-by-sqrt-d',
      title: 'repeating every feature of Q and K four times (d to 4d) doubles the scores, exactly as doubling Q does: the scores are divided by √d',
      visibility: 'public',
      runs: 15,
      callsUpFront: true,
      cases: attentionCase(SIZES),
      show: asArguments,
      async check(student, c) {
        const twice = { ...c, Q: scale(c.Q, 2) };
        const repeated = { ...c, Q: concatColumns(c.Q, c.Q, c.Q, c.Q), K: concatColumns(c.K, c.K, c.K, c.K) };
        const [answer, other] = await Promise.all([run(student, twice), run(student, repeated)]);
        const doubled = checked(answer, twice, `${WHAT} with Q doubled`);
        expectTensorClose(other, doubled, { what: `${WHAT} with the columns of Q and K repeated four times (expected: your output with Q doubled)` });
      },
    }),

    property({
      id: 'affine-in-values',
      title: 'attention(Q, K, c V + b) = c attention(Q, K, V) + b, for a number c and a row b added to every value',
      visibility: 'public',
      runs: 15,
      callsUpFront: true,
      cases: attentionCaseWith(SIZES, (_, draw, { dv }) => ({ factor: draw('factor', fc.constantFrom(-2, -0.5, 0.25, 4)), b: drawArray(draw, 'b', dv, gridValue()) })),
      show: ({ c, factor, b }) => ({ ...asArguments(c), c: factor, b: plainOf([b.length], b) }),
      async check(student, { c, factor, b }) {
        const affine = (t: PlainTensor) => ({ shape: t.shape, data: t.data.map((x, k) => factor * x + b[k % b.length]!) });
        const [answer, other] = await Promise.all([run(student, c), run(student, { ...c, V: affine(c.V) })]);
        const mine = checked(answer, c);
        expectTensorClose(other, affine(mine), { what: `${WHAT} with V replaced by ${factor} V + b (expected: ${factor} times your output, plus b)` });
      },
    }),

    property({
      id: 'query-rows-independent',
      title: 'each output row depends on its own query (and mask row) only: any subset of the queries gives those rows of the output',
      visibility: 'public',
      runs: 15,
      callsUpFront: true,
      cases: attentionCaseWith(SIZES, (_, draw, { n }) => {
        // Some of the queries (at least one), in any order: a count folded into 1..n and a permutation's first ones.
        const count = 1 + (draw('rows count', fc.integer({ min: 0, max: SIZES.maxN - 1 })) % n);
        return { rows: permutationOf(draw, 'rows', n, SIZES.maxN).slice(0, count) };
      }),
      show: ({ c, rows }) => ({ ...asArguments(c), rows }),
      async check(student, { c, rows }) {
        const subset = { ...c, Q: pickRows(c.Q, rows), ...(c.mask ? { mask: pickRows(c.mask, rows) } : {}) };
        const [answer, other] = await Promise.all([run(student, c), run(student, subset)]);
        const mine = checked(answer, c);
        expectTensorClose(other, pickRows(mine, rows), { what: `${WHAT} for the queries [${rows.join(', ')}] (expected: those rows of your output for all queries)` });
      },
    }),
  ],
});
