/** Task automatic_diff: gradH11WrtU(U, V, x1, h0) = d h1[0] / dU for h1 = relu(U x1 + V h0), by backward(). */
import { defineTask, example, expectTensorClose, expectWithinInterval, plainOf, property, type LabClient, type PlainTensor } from 'propgrade/spec';
import * as notebook from '../example.ts';
import { gradH11WrtU } from '../exports.ts';
import { firstPreActivation, gradCase, type GradCase } from '../generators/cases.ts';

export const WHAT = 'gradH11WrtU(U, V, x1, h0)';
export const run = (lab: LabClient, c: Pick<GradCase, 'U' | 'V' | 'x1' | 'h0'>) => gradH11WrtU.call(lab, c);

/**
 * h1[0] = relu(U[0,:] x1 + V[0,:] h0) depends on row 0 of U only, with slope x1 while the
 * pre-activation is positive and 0 while it is negative. Returns the two one-sided gradients:
 * equal off the kink, and at the kink any value between them is accepted.
 */
export function oneSidedGradients(c: GradCase): [PlainTensor, PlainTensor] {
  const withSlope = (slope: number) => plainOf([c.dim, c.dim], Array.from({ length: c.dim * c.dim }, (_, i) => (i < c.dim ? slope * c.x1.data[i]! : 0)));
  const z = firstPreActivation(c);
  if (z === 0) return [withSlope(0), withSlope(1)];
  const exact = withSlope(z > 0 ? 1 : 0);
  return [exact, exact];
}

export default defineTask({
  id: 'automatic_diff',
  title: 'A gradient by automatic differentiation',
  points: 1,
  exports: [gradH11WrtU],
  rules: [notebook.noHardcodedExample, { rule: 'uses-backward', fix: 'Build h1 from U with requiresGrad set, call backward() on h1[0] and return U.grad.' }],
  properties: [
    example('notebook-example', "d h1[0] / dU on the notebook's U, V, x1, h0", async (lab) => {
      expectTensorClose(await run(lab, notebook), notebook.gradH11, { what: WHAT });
    }),

    property({
      id: 'gradient-formula',
      title: 'd h1[0] / dU is x1 in row 0 while U[0,:] x1 + V[0,:] h0 > 0, zero while it is < 0, and in between at 0 (dim up to 32)',
      visibility: 'public',
      runs: 30,
      callsUpFront: true,
      cases: gradCase(),
      async check(lab, c) {
        expectWithinInterval(await run(lab, c), oneSidedGradients(c), { what: WHAT });
      },
    }),
  ],
});
