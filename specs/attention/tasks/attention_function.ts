/**
 * Task attention_function: attention(Q, K, V, mask?) for any sizes, with an optional 0/1 mask. The
 * public properties are laws the student's own outputs must obey, so they need no reference: what
 * permuting, shifting or repeating the keys does, what a mask does to the weights, and that every
 * output row is a weighted mean of the value rows its query may see.
 */
import { defineTask, drawArray, example, expectShape, expectTensorClose, fc, Mismatch, plainOf, property, type Draw, type LabClient, type PlainTensor } from 'propgrade/spec';
import { allowed, concatColumns, entry, eye, pickColumns, pickRows, scale } from '../arithmetic.ts';
import * as lab from '../example.ts';
import { attention } from '../exports.ts';
import { asArguments, attentionCase, attentionCaseWith, gridValue, shapeOf, type AttentionCase } from '../generators/attention.ts';
import { expectFinite } from './matchers.ts';

export const WHAT = 'attention(Q, K, V, mask)';

type Call = Pick<AttentionCase, 'Q' | 'K' | 'V' | 'mask'>;
export const run = (student: LabClient, c: Call) => attention.call(student, c);
/** The student's output, checked to be [n, dv]. */
const output = async (student: LabClient, c: Call, what = WHAT) => expectFinite(expectShape(await run(student, c), [c.Q.shape[0]!, c.V.shape[1]!], what), what);

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

/** Weights read through V = eye(m): masked positions exactly 0, every row non-negative and summing to 1. */
export function expectMaskedWeights(weights: PlainTensor, mask: PlainTensor | undefined): void {
  const [n, m] = weights.shape as [number, number];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const w = entry(weights, i, j);
      if (!allowed(mask, i, j) && w !== 0) {
        throw new Mismatch(`the weight of query ${i} on key ${j} is ${w}, but mask[${i}][${j}] = 0: a masked position must get weight exactly 0 (with V = eye(m), attention returns the weights).`, 0, w);
      }
      if (!(w >= 0 && w <= 1)) throw new Mismatch(`the weight of query ${i} on key ${j} is ${w}: weights lie in [0, 1] (with V = eye(m), attention returns the weights).`, undefined, w);
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
      cases: attentionCase(SIZES),
      show: asArguments,
      async check(student, c) {
        expectWeightedMeans(await output(student, c), c);
      },
    }),

    property({
      id: 'masked-weights',
      title: 'with V = eye(m) the output is the weights: a masked position gets exactly 0, every row sums to 1',
      visibility: 'public',
      runs: 25,
      cases: attentionCase({ ...SIZES, masks: MASKED }),
      show: asArguments,
      async check(student, c) {
        const { n, m } = shapeOf(c);
        const weights = expectShape(await run(student, { ...c, V: eye(m) }), [n, m], `${WHAT} with V = eye(m)`);
        expectMaskedWeights(weights, c.mask);
      },
    }),

    property({
      id: 'permuting-keys',
      title: 'permuting the keys and their values together (and the mask columns with them) leaves the output unchanged',
      visibility: 'public',
      runs: 20,
      cases: attentionCaseWith(SIZES, (_, draw, { m }) => ({ order: permutationOf(draw, 'order', m, SIZES.maxM) })),
      show: ({ c, order }) => ({ ...asArguments(c), order }),
      async check(student, { c, order }) {
        const mine = await output(student, c);
        const permuted = { Q: c.Q, K: pickRows(c.K, order), V: pickRows(c.V, order), ...(c.mask ? { mask: pickColumns(c.mask, order) } : {}) };
        expectTensorClose(await run(student, permuted), mine, { what: `${WHAT} with keys, values and mask columns in the order [${order.join(', ')}] (expected: your output in the original order)` });
      },
    }),

    property({
      id: 'shifting-keys',
      title: 'adding one vector u to every key adds the constant q_i·u/√d to row i of the scores, which leaves the output unchanged',
      visibility: 'public',
      runs: 20,
      cases: attentionCaseWith(SIZES, (_, draw, { d }) => ({ u: drawArray(draw, 'u', d, gridValue()) })),
      show: ({ c, u }) => ({ ...asArguments(c), u: plainOf([u.length], u) }),
      async check(student, { c, u }) {
        const mine = await output(student, c);
        const shifted = { shape: c.K.shape, data: c.K.data.map((x, k) => x + u[k % u.length]!) };
        expectTensorClose(await run(student, { ...c, K: shifted }), mine, { what: `${WHAT} with u added to every key (expected: your output without it)` });
      },
    }),

    property({
      id: 'scaling-by-sqrt-d',
      title: 'repeating every feature of Q and K four times (d to 4d) doubles the scores, exactly as doubling Q does: the scores are divided by √d',
      visibility: 'public',
      runs: 15,
      cases: attentionCase(SIZES),
      show: asArguments,
      async check(student, c) {
        const doubled = await output(student, { ...c, Q: scale(c.Q, 2) }, `${WHAT} with Q doubled`);
        const repeated = { ...c, Q: concatColumns(c.Q, c.Q, c.Q, c.Q), K: concatColumns(c.K, c.K, c.K, c.K) };
        expectTensorClose(await run(student, repeated), doubled, { what: `${WHAT} with the columns of Q and K repeated four times (expected: your output with Q doubled)` });
      },
    }),

    property({
      id: 'affine-in-values',
      title: 'attention(Q, K, c V + b) = c attention(Q, K, V) + b, for a number c and a row b added to every value',
      visibility: 'public',
      runs: 15,
      cases: attentionCaseWith(SIZES, (_, draw, { dv }) => ({ factor: draw('factor', fc.constantFrom(-2, -0.5, 0.25, 4)), b: drawArray(draw, 'b', dv, gridValue()) })),
      show: ({ c, factor, b }) => ({ ...asArguments(c), c: factor, b: plainOf([b.length], b) }),
      async check(student, { c, factor, b }) {
        const affine = (t: PlainTensor) => ({ shape: t.shape, data: t.data.map((x, k) => factor * x + b[k % b.length]!) });
        const mine = await output(student, c);
        expectTensorClose(await run(student, { ...c, V: affine(c.V) }), affine(mine), { what: `${WHAT} with V replaced by ${factor} V + b (expected: ${factor} times your output, plus b)` });
      },
    }),

    property({
      id: 'query-rows-independent',
      title: 'each output row depends on its own query (and mask row) only: any subset of the queries gives those rows of the output',
      visibility: 'public',
      runs: 15,
      cases: attentionCaseWith(SIZES, (_, draw, { n }) => {
        // Some of the queries (at least one), in any order: a count folded into 1..n and a permutation's first ones.
        const count = 1 + (draw('rows count', fc.integer({ min: 0, max: SIZES.maxN - 1 })) % n);
        return { rows: permutationOf(draw, 'rows', n, SIZES.maxN).slice(0, count) };
      }),
      show: ({ c, rows }) => ({ ...asArguments(c), rows }),
      async check(student, { c, rows }) {
        const mine = await output(student, c);
        const subset = { ...c, Q: pickRows(c.Q, rows), ...(c.mask ? { mask: pickRows(c.mask, rows) } : {}) };
        expectTensorClose(await run(student, subset), pickRows(mine, rows), { what: `${WHAT} for the queries [${rows.join(', ')}] (expected: those rows of your output for all queries)` });
      },
    }),
  ],
});
