/** Task forward_by_hand: two RNN steps, h_t = relu(U x_t + V h_{t-1}), o_t = W h_t. */
import { twoStepCase, type TwoStepCase } from '../generators/lab-cases.ts';
import { defineTask, example, property } from '../src/spec/define.ts';
import { expectFields, expectTensorClose } from '../src/spec/expect.ts';
import { matVec, plus, relu } from '../src/spec/plain.ts';
import { sameAnswerAfterOtherCalls } from '../src/spec/properties.ts';
import type { LabClient, Plain } from '../src/sandbox/protocol.ts';
import * as notebook from './notebook.ts';

const OUTPUTS = ['h1', 'o1', 'h2', 'o2'] as const;
const WHAT = 'forwardByHand(U, V, W, x1, x2, h0)';

const run = (lab: LabClient, c: Pick<TwoStepCase, 'U' | 'V' | 'W' | 'x1' | 'x2' | 'h0'>) => lab.call('forwardByHand', c.U, c.V, c.W, c.x1, c.x2, c.h0);

function expectSteps(actual: Plain, expected: Record<string, Plain>): void {
  const mine = expectFields(actual, [...OUTPUTS], WHAT);
  for (const name of OUTPUTS) expectTensorClose(mine[name]!, expected[name]!, { what: name });
}

export default defineTask({
  id: 'forward_by_hand',
  title: 'Two RNN steps by hand',
  points: 1,
  exports: ['forwardByHand'],
  rules: [{ rule: 'no-hardcoded-example' }],
  properties: [
    example('notebook-example', "h1, o1, h2, o2 on the notebook's U, V, W, x1, x2, h0", async (lab) => {
      expectSteps(await run(lab, notebook), notebook.steps);
    }),

    property({
      id: 'step-equations',
      title: 'each of h1, o1, h2, o2 follows its equation from the values before it (any dim up to 32, h0 not always 0)',
      visibility: 'public',
      runs: 25,
      cases: twoStepCase(),
      async check(lab, c) {
        const mine = expectFields(await run(lab, c), [...OUTPUTS], WHAT);
        const h1 = expectTensorClose(mine.h1!, relu(plus(matVec(c.U, c.x1), matVec(c.V, c.h0))), { what: 'h1 = relu(U x1 + V h0)' });
        expectTensorClose(mine.o1!, matVec(c.W, h1), { what: 'o1 = W h1' });
        const h2 = expectTensorClose(mine.h2!, relu(plus(matVec(c.U, c.x2), matVec(c.V, h1))), { what: 'h2 = relu(U x2 + V h1)' });
        expectTensorClose(mine.o2!, matVec(c.W, h2), { what: 'o2 = W h2' });
      },
    }),

    property({
      id: 'matches-reference',
      title: 'h1, o1, h2, o2 match the reference solution on generated networks',
      visibility: 'hidden',
      runs: 30,
      cases: twoStepCase(),
      async check(lab, c, ctx) {
        const expected = (await ctx.expected('forwardByHand', c.U, c.V, c.W, c.x1, c.x2, c.h0)) as Record<string, Plain>;
        expectSteps(await run(lab, c), expected);
      },
    }),

    sameAnswerAfterOtherCalls({
      title: 'the same arguments give the same answer, even after calls with other arguments',
      visibility: 'hidden',
      runs: 10,
      cases: twoStepCase({ maxDim: 8 }),
      call: run,
      what: WHAT,
    }),
  ],
});
