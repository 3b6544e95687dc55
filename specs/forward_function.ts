/** Task forward_function: forward(input, dim, U, V, W) runs the RNN over N inputs from h0 = 0. */
import fc from 'fast-check';
import { forwardCase } from '../generators/lab-cases.ts';
import { rnnCase, type RnnCase } from '../generators/rnn.ts';
import { defineTask, example, property } from '../src/spec/define.ts';
import { expectRowsClose, expectShape, expectTensorClose } from '../src/spec/expect.ts';
import { firstRows, matVec, relu, rowOf, stack } from '../src/spec/plain.ts';
import { sameAnswerAfterOtherCalls } from '../src/spec/properties.ts';
import type { LabClient } from '../src/sandbox/protocol.ts';
import * as notebook from './notebook.ts';

const WHAT = 'forward(input, dim, U, V, W)';
const args = (c: Pick<RnnCase, 'input' | 'dim' | 'U' | 'V' | 'W'>) => [c.input, c.dim, c.U, c.V, c.W];
const run = (lab: LabClient, c: RnnCase) => lab.call('forward', ...args(c));
/** A failing case shown as forward's arguments. */
const asArguments = ({ input, dim, U, V, W }: RnnCase) => ({ input, dim, U, V, W });

export default defineTask({
  id: 'forward_function',
  title: 'The RNN forward function',
  points: 1,
  exports: ['forward'],
  rules: [{ rule: 'no-hardcoded-example' }],
  properties: [
    example('notebook-example', "forward([x1, x2], 2, U, V, W) gives the notebook's [o1, o2]", async (lab) => {
      const outputs = await lab.call('forward', stack(notebook.x1, notebook.x2), 2, notebook.U, notebook.V, notebook.W);
      expectRowsClose(outputs, stack(notebook.steps.o1, notebook.steps.o2), { what: WHAT });
    }),

    property({
      id: 'first-output',
      title: 'the first output is o_1 = W relu(U x_1), since h0 = 0',
      visibility: 'public',
      runs: 15,
      cases: rnnCase({ maxDim: 16, maxN: 8 }),
      show: asArguments,
      async check(lab, c) {
        const outputs = expectShape(await run(lab, c), [c.N, c.dim], WHAT);
        const o1 = matVec(c.W, relu(matVec(c.U, rowOf(c.input, 0))));
        expectTensorClose(rowOf(outputs, 0), o1, { what: `o_1, the first row of ${WHAT}` });
      },
    }),

    property({
      id: 'prefix-consistent',
      title: 'the outputs for the first k inputs are the first k outputs for the whole input',
      visibility: 'public',
      runs: 20,
      cases: rnnCase({ maxDim: 16, maxN: 32 }).chain((c) => fc.record({ c: fc.constant(c), k: fc.integer({ min: 1, max: c.N }) })),
      show: ({ c, k }) => ({ ...asArguments(c), k }),
      async check(lab, { c, k }) {
        const whole = expectShape(await run(lab, c), [c.N, c.dim], WHAT);
        const prefix = await run(lab, { ...c, N: k, input: firstRows(c.input, k) });
        expectRowsClose(prefix, firstRows(whole, k), { what: `${WHAT} on the first ${k} inputs (expected: your own outputs on the whole input)` });
      },
    }),

    property({
      id: 'matches-reference',
      title: 'the outputs match the reference solution at every step (dim up to 32, N up to 64)',
      visibility: 'hidden',
      runs: 30,
      cases: forwardCase(),
      show: asArguments,
      async check(lab, c, ctx) {
        expectRowsClose(await run(lab, c), await ctx.expected('forward', ...args(c)), { what: WHAT });
      },
    }),

    sameAnswerAfterOtherCalls({
      title: 'the same input gives the same outputs, even after calls with other inputs',
      visibility: 'public',
      runs: 10,
      cases: rnnCase({ maxDim: 8, maxN: 16 }),
      show: asArguments,
      call: run,
      what: WHAT,
    }),
  ],
});
