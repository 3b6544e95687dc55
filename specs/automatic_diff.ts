/** Task automatic_diff: gradH11WrtU(U, V, x1, h0) = d h1[0] / dU for h1 = relu(U x1 + V h0), by backward(). */
import { firstPreActivation, gradCase, type GradCase } from '../generators/lab-cases.ts';
import { defineTask, example, property } from '../src/spec/define.ts';
import { expectTensorClose, expectWithinInterval } from '../src/spec/expect.ts';
import { plainOf } from '../src/spec/plain.ts';
import { sameAnswerAfterOtherCalls } from '../src/spec/properties.ts';
import type { LabClient, PlainTensor } from '../src/sandbox/protocol.ts';
import * as notebook from './notebook.ts';

const WHAT = 'gradH11WrtU(U, V, x1, h0)';
const run = (lab: LabClient, c: Pick<GradCase, 'U' | 'V' | 'x1' | 'h0'>) => lab.call('gradH11WrtU', c.U, c.V, c.x1, c.h0);

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
  exports: ['gradH11WrtU'],
  rules: [{ rule: 'no-hardcoded-example' }, { rule: 'uses-backward' }],
  properties: [
    example('notebook-example', "d h1[0] / dU on the notebook's U, V, x1, h0", async (lab) => {
      expectTensorClose(await run(lab, notebook), notebook.gradH11, { what: WHAT });
    }),

    property({
      id: 'gradient-formula',
      title: 'd h1[0] / dU is x1 in row 0 while U[0,:] x1 + V[0,:] h0 > 0, zero while it is < 0, and in between at 0 (dim up to 32)',
      visibility: 'public',
      runs: 30,
      cases: gradCase(),
      async check(lab, c) {
        expectWithinInterval(await run(lab, c), oneSidedGradients(c), { what: WHAT });
      },
    }),

    property({
      id: 'matches-reference',
      title: 'd h1[0] / dU matches the reference solution (any value between the one-sided gradients at the kink)',
      visibility: 'hidden',
      runs: 30,
      cases: gradCase(),
      async check(lab, c, ctx) {
        const expected = await ctx.expected('gradH11WrtU', c.U, c.V, c.x1, c.h0);
        const actual = await run(lab, c);
        if (firstPreActivation(c) === 0) expectWithinInterval(actual, [expected, ...oneSidedGradients(c)], { what: WHAT });
        else expectTensorClose(actual, expected, { what: WHAT });
      },
    }),

    sameAnswerAfterOtherCalls({
      title: 'the same arguments give the same gradient, even after other calls (no gradient accumulates)',
      visibility: 'hidden',
      runs: 10,
      cases: gradCase({ maxDim: 8 }),
      call: run,
      what: WHAT,
    }),
  ],
});
