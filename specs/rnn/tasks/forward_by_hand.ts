/** Task forward_by_hand: two RNN steps, h_t = relu(U x_t + V h_{t-1}), o_t = W h_t. */
import { defineTask, example, expectFields, expectTensorClose, matVec, plus, property, relu, type LabClient, type Plain } from 'propgrade/spec';
import * as notebook from '../example.ts';
import { forwardByHand } from '../exports.ts';
import { twoStepCase, type TwoStepCase } from '../generators/cases.ts';

export const OUTPUTS = ['h1', 'o1', 'h2', 'o2'] as const;
export const WHAT = 'forwardByHand(U, V, W, x1, x2, h0)';

export const run = (lab: LabClient, c: TwoStepCase | typeof notebook) => forwardByHand.call(lab, c);

export function expectSteps(actual: Plain, expected: Record<string, Plain>): void {
  const mine = expectFields(actual, [...OUTPUTS], WHAT);
  for (const name of OUTPUTS) expectTensorClose(mine[name]!, expected[name]!, { what: name });
}

export default defineTask({
  id: 'forward_by_hand',
  title: 'Two RNN steps by hand',
  points: 1,
  exports: [forwardByHand],
  rules: [notebook.noHardcodedExample],
  properties: [
    example('notebook-example', "h1, o1, h2, o2 on the notebook's U, V, W, x1, x2, h0", async (lab) => {
      expectSteps(await run(lab, notebook), notebook.steps);
    }),

    property({
      id: 'step-equations',
      title: 'each of h1, o1, h2, o2 follows its equation from the values before it (any dim up to 32, h0 not always 0)',
      visibility: 'public',
      runs: 25,
      callsUpFront: true,
      cases: twoStepCase(),
      async check(lab, c) {
        const mine = expectFields(await run(lab, c), [...OUTPUTS], WHAT);
        const h1 = expectTensorClose(mine.h1!, relu(plus(matVec(c.U, c.x1), matVec(c.V, c.h0))), { what: 'h1 = relu(U x1 + V h0)' });
        expectTensorClose(mine.o1!, matVec(c.W, h1), { what: 'o1 = W h1' });
        const h2 = expectTensorClose(mine.h2!, relu(plus(matVec(c.U, c.x2), matVec(c.V, h1))), { what: 'h2 = relu(U x2 + V h1)' });
        expectTensorClose(mine.o2!, matVec(c.W, h2), { what: 'o2 = W h2' });
      },
    }),
  ],
});
