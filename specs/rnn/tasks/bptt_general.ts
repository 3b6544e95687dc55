/**
 * Task bptt_general (optional, 0 points): bpttGradU(U, V, W, x, h0) = dL/dU for the scalar RNN
 * h_t = relu(U x_t + V h_{t-1}), o_t = W h_t, L = sum_t (x_{t+1} - o_t)^2, derived by hand.
 * Publicly checked against float64 finite differences of L; the hidden properties compare with
 * autograd and the exact one-sided derivatives at kinks (bptt_general.hidden.ts).
 */
import { defineTask, example, expectTensorClose, expectWithinInterval, property, type LabClient, type Tolerance } from 'propgrade/spec';
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

/**
 * The one-sided derivative of L at U from the right (direction +1) or the left (-1): each step's
 * relu slope is the one it takes just beside U, then dh_t/dU = slope_t (x_t + V dh_{t-1}/dU).
 */
export function oneSidedGradU(c: ScalarRnnCase, direction: 1 | -1): number {
  const beside = scalarPreActivations({ ...c, U: c.U + direction * 2 ** -30 });
  return gradWithSlopes(c, (t) => (beside[t]! > 0 ? 1 : 0));
}

/** dL/dU by hand with relu's slope at step t given: dh_t/dU = slope_t (x_t + V dh_{t-1}/dU). */
function gradWithSlopes(c: ScalarRnnCase, slopeAt: (t: number, a: number) => number): number {
  const { U, V, W, x, h0 } = c;
  let [h, dh, grad] = [h0, 0, 0];
  for (let t = 0; t + 1 < x.length; t++) {
    const a = U * x[t]! + V * h;
    const slope = slopeAt(t, a);
    h = Math.max(a, 0);
    dh = slope * (x[t]! + V * dh);
    grad += 2 * (W * h - x[t + 1]!) * W * dh;
  }
  return grad;
}

/**
 * What a right dL/dU may be where some pre-activation is exactly 0: relu's slope there taken as 0
 * or as 1 (relu and clamp), or the one-sided derivatives; any value between them is right.
 */
export const kinkInterval = (c: ScalarRnnCase): number[] => [
  gradWithSlopes(c, (_, a) => (a > 0 ? 1 : 0)),
  gradWithSlopes(c, (_, a) => (a >= 0 ? 1 : 0)),
  oneSidedGradU(c, -1),
  oneSidedGradU(c, 1),
];

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
      callsUpFront: true,
      cases: cases().filter(smooth),
      async check(lab, c) {
        expectTensorClose(await run(lab, c), finiteDifference(c), { what: WHAT, tol: FD_TOLERANCE });
      },
    }),

    property({
      id: 'at-a-kink',
      title: 'where a pre-activation is exactly 0, dL/dU is a number between the derivatives with relu\'s slope 0 and 1 there (either one-sided derivative is right)',
      visibility: 'public',
      runs: 15,
      callsUpFront: true,
      cases: cases().filter((c) => scalarPreActivations(c).includes(0)),
      async check(lab, c) {
        expectWithinInterval(await run(lab, c), kinkInterval(c), { what: WHAT });
      },
    }),
  ],
});
