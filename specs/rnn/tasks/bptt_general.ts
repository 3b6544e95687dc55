/**
 * Task bptt_general (optional, 0 points): bpttGradU(U, V, W, x, h0) = dL/dU for the scalar RNN
 * h_t = relu(U x_t + V h_{t-1}), o_t = W h_t, L = sum_t (x_{t+1} - o_t)^2, derived by hand.
 * Publicly checked against float64 finite differences of L; the hidden properties compare with
 * autograd and the exact one-sided derivatives at kinks (bptt_general.hidden.ts).
 */
import { defineTask, example, expectTensorClose, property, type LabClient, type Tolerance } from 'propgrade/spec';
import * as notebook from '../example.ts';
import { bpttGradU } from '../exports.ts';
import { asTensors } from '../generators/cases.ts';
import { scalarPreActivations, scalarRnnCase, type ScalarRnnCase } from '../generators/rnn.ts';

export const WHAT = 'bpttGradU(U, V, W, x, h0)';
export const MAX_N = 32;
export const run = (lab: LabClient, c: ScalarRnnCase) => bpttGradU.call(lab, asTensors(c));

/** L(U) in float64. */
function loss({ V, W, x, h0 }: ScalarRnnCase, U: number): number {
  let [h, L] = [h0, 0];
  for (let t = 0; t + 1 < x.length; t++) {
    h = Math.max(U * x[t]! + V * h, 0);
    L += (x[t + 1]! - W * h) ** 2;
  }
  return L;
}

/** Central finite difference of L at U. */
const EPS = 1e-6;
const finiteDifference = (c: ScalarRnnCase) => (loss(c, c.U + EPS) - loss(c, c.U - EPS)) / (2 * EPS);
const FD_TOLERANCE: Tolerance = { abs: 1e-5, rel: 1e-5 };

/** Away from kinks: no pre-activation is 0, and none changes sign within EPS of U. */
const smooth = (c: ScalarRnnCase) => {
  const signs = (U: number) => scalarPreActivations({ ...c, U }).map(Math.sign).join();
  return !scalarPreActivations(c).includes(0) && signs(c.U - EPS) === signs(c.U) && signs(c.U + EPS) === signs(c.U);
};

export const cases = () => scalarRnnCase({ maxN: MAX_N });

export default defineTask({
  id: 'bptt_general',
  title: 'Backpropagation through time by hand (optional)',
  points: 0,
  exports: [bpttGradU],
  rules: [{ rule: 'no-autograd' }],
  properties: [
    example('notebook-example', "dL/dU on section 4's scalar RNN for N = 1, 2 and 3", async (lab) => {
      for (const { N, value } of notebook.bpttGradU) {
        const c = { ...notebook.scalarRnn, x: notebook.scalarRnn.x.slice(0, N + 1) };
        expectTensorClose(await run(lab, c), value, { what: `${WHAT} with N = ${N}` });
      }
    }),

    property({
      id: 'matches-finite-differences',
      title: 'dL/dU agrees with finite differences of L where L is smooth (N up to 32)',
      visibility: 'public',
      runs: 20,
      cases: cases().filter(smooth),
      async check(lab, c) {
        expectTensorClose(await run(lab, c), finiteDifference(c), { what: WHAT, tol: FD_TOLERANCE });
      },
    }),
  ],
});
