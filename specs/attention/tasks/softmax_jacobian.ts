/**
 * Task softmax_jacobian (optional, 0 points): softmaxJacobian(z) = diag(s) - s sᵀ with s = softmax(z),
 * derived by hand (no autograd). Publicly checked by the laws every softmax Jacobian obeys (its rows
 * sum to 0 because softmax sums to 1; it is symmetric) and against finite differences.
 */
import { defineTask, example, expectShape, expectTensorClose, fromFunction, plainZeros, property, type LabClient, type PlainTensor, type Tolerance } from 'propgrade/spec';
import { softmax, transpose } from '../arithmetic.ts';
import * as lab from '../example.ts';
import { softmaxJacobian } from '../exports.ts';
import { jacobianCase, type JacobianCase } from '../generators/attention.ts';
import { expectFinite } from './matchers.ts';

export const WHAT = 'softmaxJacobian(z)';
export const run = (student: LabClient, z: PlainTensor) => softmaxJacobian.call(student, { z });
const jacobian = async (student: LabClient, z: PlainTensor) => expectFinite(expectShape(await run(student, z), [z.shape[0]!, z.shape[0]!], WHAT), WHAT);
export const asArguments = ({ z }: JacobianCase) => ({ z });

const EPS = 1e-6;
const FD_TOLERANCE: Tolerance = { abs: 1e-7, rel: 1e-6 };

/** J[r][c] = d s_r / d z_c by central differences of the grader's softmax. */
export function finiteDifferences(z: PlainTensor): PlainTensor {
  const k = z.shape[0]!;
  const at = (c: number, delta: number) => softmax({ shape: z.shape, data: z.data.map((x, l) => (l === c ? x + delta : x)) });
  const columns = Array.from({ length: k }, (_, c) => [at(c, EPS), at(c, -EPS)] as const);
  return fromFunction([k, k], (i) => {
    const [r, c] = [Math.floor(i / k), i % k];
    return (columns[c]![0].data[r]! - columns[c]![1].data[r]!) / (2 * EPS);
  });
}

export default defineTask({
  id: 'softmax_jacobian',
  title: "The softmax's Jacobian by hand (optional)",
  points: 0,
  exports: [softmaxJacobian],
  rules: [lab.noHardcodedExample, { rule: 'no-autograd', fix: 'Derive the Jacobian by hand, diag(s) - s sᵀ with s = softmax(z), and compute it with forward operations or plain numbers only.' }],
  properties: [
    example('lab-example', "the Jacobian at the lab's z = [0, ln 2, ln 5], where softmax(z) = [1/8, 2/8, 5/8]", async (student) => {
      expectTensorClose(await run(student, lab.z), lab.answers.softmaxJacobian, { what: WHAT });
    }),

    property({
      id: 'rows-sum-to-zero',
      title: 'every row sums to 0, since softmax(z) sums to 1 whatever z (z up to 16 entries, some beyond 710 where exp overflows)',
      visibility: 'public',
      runs: 20,
      callsUpFront: true,
      cases: jacobianCase(),
      show: asArguments,
      async check(student, { z }) {
        const J = await jacobian(student, z);
        const k = z.shape[0]!;
        const sums = fromFunction([k], (r) => J.data.subarray(r * k, (r + 1) * k).reduce((a, b) => a + b, 0));
        expectTensorClose(sums, plainZeros([k]), { what: `the row sums of ${WHAT}`, tol: { abs: 1e-12 } });
      },
    }),

    property({
      id: 'symmetric',
      title: 'the Jacobian is symmetric: d s_r / d z_c = d s_c / d z_r',
      visibility: 'public',
      runs: 15,
      callsUpFront: true,
      cases: jacobianCase(),
      show: asArguments,
      async check(student, { z }) {
        const J = await jacobian(student, z);
        expectTensorClose(transpose(J), J, { what: `the transpose of ${WHAT} (expected: your Jacobian itself)`, tol: { abs: 1e-12 } });
      },
    }),

    property({
      id: 'matches-finite-differences',
      title: 'the Jacobian agrees with finite differences of softmax (z of moderate size)',
      visibility: 'public',
      runs: 20,
      callsUpFront: true,
      cases: jacobianCase({ kinds: ['general', 'tied', 'one-dominant'] }),
      show: asArguments,
      async check(student, { z }) {
        expectTensorClose(await jacobian(student, z), finiteDifferences(z), { what: WHAT, tol: FD_TOLERANCE });
      },
    }),
  ],
});
