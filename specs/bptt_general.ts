/**
 * Task bptt_general (optional, 0 points): bpttGradU(U, V, W, x, h0) = dL/dU for the scalar RNN
 * h_t = relu(U x_t + V h_{t-1}), o_t = W h_t, L = sum_t (x_{t+1} - o_t)^2, derived by hand.
 * The grader's own answers: float64 finite differences, the engine's autograd in this process, and
 * the exact one-sided derivatives at kinks.
 */
import fc from 'fast-check';
import { asTensors } from '../generators/lab-cases.ts';
import { scalarPreActivations, scalarRnnCase, type ScalarRnnCase } from '../generators/rnn.ts';
import { clamp, relu, tensor, type Tensor } from '../src/autograd/index.ts';
import { defineTask, example, property } from '../src/spec/define.ts';
import { expectTensorClose, expectWithinInterval, type Tolerance } from '../src/spec/expect.ts';
import { sameAnswerAfterOtherCalls } from '../src/spec/properties.ts';
import type { LabClient } from '../src/sandbox/protocol.ts';
import * as notebook from './notebook.ts';

const WHAT = 'bpttGradU(U, V, W, x, h0)';
const MAX_N = 32;
const run = (lab: LabClient, c: ScalarRnnCase) => {
  const { U, V, W, x, h0 } = asTensors(c);
  return lab.call('bpttGradU', U, V, W, x, h0);
};

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

/** dL/dU by the engine's autograd, with relu (slope 0 at a kink) or clamp (slope 1 at a kink). */
function autogradGradU({ U, V, W, x, h0 }: ScalarRnnCase, activation: 'relu' | 'clamp'): number {
  const sigma = (z: Tensor) => (activation === 'relu' ? relu(z) : clamp(z, { min: 0 }));
  const u = tensor(U, { requiresGrad: true });
  let h = tensor(h0);
  let L = tensor(0);
  for (let t = 0; t + 1 < x.length; t++) {
    h = sigma(u.mul(x[t]!).add(h.mul(V)));
    L = L.add(h.mul(W).sub(x[t + 1]!).pow(2));
  }
  L.backward();
  return u.grad!.item();
}

/**
 * The one-sided derivative of L at U from the right (direction +1) or the left (-1): each step's
 * relu slope is the one it takes just beside U, then dh_t/dU = slope_t (x_t + V dh_{t-1}/dU).
 */
function oneSidedGradU(c: ScalarRnnCase, direction: 1 | -1): number {
  const beside = scalarPreActivations({ ...c, U: c.U + direction * 2 ** -30 });
  const { U, V, W, x, h0 } = c;
  let [h, dh, grad] = [h0, 0, 0];
  for (let t = 0; t + 1 < x.length; t++) {
    const slope = beside[t]! > 0 ? 1 : 0;
    h = Math.max(U * x[t]! + V * h, 0);
    dh = slope * (x[t]! + V * dh);
    grad += 2 * (W * h - x[t + 1]!) * W * dh;
  }
  return grad;
}

/**
 * What a right dL/dU may be: autograd with either slope at a kink and the two one-sided derivatives.
 * Off the kinks all four are equal; at one, any value between them is right.
 */
export const admissibleGradU = (c: ScalarRnnCase): number[] => [autogradGradU(c, 'relu'), autogradGradU(c, 'clamp'), oneSidedGradU(c, -1), oneSidedGradU(c, 1)];

const cases = () => scalarRnnCase({ maxN: MAX_N });

export default defineTask({
  id: 'bptt_general',
  title: 'Backpropagation through time by hand (optional)',
  points: 0,
  exports: ['bpttGradU'],
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

    property({
      id: 'matches-autograd',
      title: "dL/dU matches the engine's autograd and the reference; at a kink, any value between the one-sided derivatives",
      visibility: 'hidden',
      runs: 25,
      cases: cases(),
      async check(lab, c, ctx) {
        const bounds = admissibleGradU(c);
        const { U, V, W, x, h0 } = asTensors(c);
        const reference = await ctx.expected('bpttGradU', U, V, W, x, h0);
        try {
          expectWithinInterval(reference, bounds, { what: 'the reference bpttGradU' });
        } catch (error) {
          ctx.graderBug(`the reference disagrees with autograd: ${(error as Error).message}`);
          fc.pre(false);
        }
        expectWithinInterval(await run(lab, c), bounds, { what: WHAT });
      },
    }),

    sameAnswerAfterOtherCalls({
      title: 'the same arguments give the same derivative, even after other calls',
      visibility: 'hidden',
      runs: 5,
      cases: scalarRnnCase({ maxN: 8 }),
      call: run,
      what: WHAT,
    }),
  ],
});
