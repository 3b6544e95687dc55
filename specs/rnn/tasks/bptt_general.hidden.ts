/**
 * bptt_general's hidden properties (staff only): the grader's own answers are the engine's
 * autograd in this process and the exact one-sided derivatives at kinks.
 */
import { clamp, relu, tensor, type Tensor } from 'propgrade/autograd';
import { expectWithinInterval, fc, property, sameAnswerAfterOtherCalls } from 'propgrade/spec';
import { bpttGradU } from '../exports.ts';
import { asTensors } from '../generators/cases.ts';
import { scalarRnnCase, type ScalarRnnCase } from '../generators/rnn.ts';
import { cases, oneSidedGradU, run, WHAT } from './bptt_general.ts';

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
 * What a right dL/dU may be: autograd with either slope at a kink and the two one-sided derivatives.
 * Off the kinks all four are equal; at one, any value between them is right.
 */
export const admissibleGradU = (c: ScalarRnnCase): number[] => [autogradGradU(c, 'relu'), autogradGradU(c, 'clamp'), oneSidedGradU(c, -1), oneSidedGradU(c, 1)];

export default [
  property({
    id: 'matches-autograd',
    title: "dL/dU matches the engine's autograd and the reference; at a kink, any value between the one-sided derivatives",
    visibility: 'hidden',
    runs: 25,
    cases: cases(),
    async check(lab, c, ctx) {
      const bounds = admissibleGradU(c);
      const reference = await bpttGradU.expected(ctx, asTensors(c));
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
];
