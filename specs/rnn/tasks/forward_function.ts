/** Task forward_function: forward(input, dim, U, V, W) runs the RNN over N inputs from h0 = 0. */
import { defineTask, example, expectRowsClose, expectShape, expectTensorClose, fc, firstRows, fromFunction, matVec, plainOf, plainZeros, plus, property, relu, rowOf, sameAnswerAfterOtherCalls, stack, type LabClient, type PlainTensor } from 'propgrade/spec';
import * as notebook from '../example.ts';
import { forward } from '../exports.ts';
import { longRnnCase, rnnCase, type RnnCase } from '../generators/rnn.ts';

export const WHAT = 'forward(input, dim, U, V, W)';
export const run = (lab: LabClient, c: Pick<RnnCase, 'input' | 'dim' | 'U' | 'V' | 'W'>) => forward.call(lab, c);
/** A failing case shown as forward's arguments. */
export const asArguments = ({ input, dim, U, V, W }: RnnCase) => ({ input, dim, U, V, W });

/** The grader's float64 arithmetic is exact here up to summation order: a float32 state shows. */
const TIGHT = { abs: 1e-12, rel: 1e-12 };

const eye = (n: number): PlainTensor => fromFunction([n, n], (i) => (Math.floor(i / n) === i % n ? 1 : 0));
const scaled = (M: PlainTensor, c: number): PlainTensor => plainOf(M.shape, M.data.map((x) => c * x + 0));

export default defineTask({
  id: 'forward_function',
  title: 'The RNN forward function',
  points: 1,
  exports: [forward],
  rules: [notebook.noHardcodedExample],
  properties: [
    example('notebook-example', "forward([x1, x2], 2, U, V, W) gives the notebook's [o1, o2]", async (lab) => {
      const outputs = await forward.call(lab, { input: stack(notebook.x1, notebook.x2), dim: 2, U: notebook.U, V: notebook.V, W: notebook.W });
      expectRowsClose(outputs, stack(notebook.steps.o1, notebook.steps.o2), { what: WHAT });
    }),

    property({
      id: 'first-output',
      title: 'the first output is o_1 = W relu(U x_1), since h0 = 0',
      visibility: 'public',
      runs: 15,
      callsUpFront: true,
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
      // k is drawn up to the largest N and folded into 1..N, so that N shrinks first and k stays a prefix.
      cases: fc.record({ c: rnnCase({ maxDim: 16, maxN: 32 }), k: fc.integer({ min: 1, max: 32 }) }).map(({ c, k }) => ({ c, k: 1 + ((k - 1) % c.N) })),
      show: ({ c, k }) => ({ ...asArguments(c), k }),
      callsUpFront: true,
      async check(lab, { c, k }) {
        const [outputs, prefix] = await Promise.all([run(lab, c), run(lab, { ...c, input: firstRows(c.input, k) })]);
        const whole = expectShape(outputs, [c.N, c.dim], WHAT);
        expectRowsClose(prefix, firstRows(whole, k), { what: `${WHAT} on the first ${k} inputs (expected: your own outputs on the whole input)` });
      },
    }),

    property({
      id: 'hidden-states',
      title: 'with W = I the outputs are the hidden states: each h_t = relu(U x_t + V h_{t-1}) from your own h_{t-1}, over sequences up to 80 steps',
      visibility: 'public',
      runs: 20,
      callsUpFront: true,
      cases: longRnnCase({ maxDim: 8, maxN: 80 }).map((c) => ({ ...c, W: eye(c.dim) })),
      show: asArguments,
      async check(lab, c) {
        const states = expectShape(await run(lab, c), [c.N, c.dim], WHAT);
        const expected = Array.from({ length: c.N }, (_, t) =>
          relu(plus(matVec(c.U, rowOf(c.input, t)), matVec(c.V, t === 0 ? plainZeros([c.dim]) : rowOf(states, t - 1)))),
        );
        expectRowsClose(states, stack(...expected), { what: `${WHAT} with W = I (expected: relu(U x_t + V h_{t-1}) from your own previous row)`, tol: TIGHT });
      },
    }),

    property({
      id: 'linear-in-w',
      title: 'scaling W scales every output: forward(input, dim, U, V, c·W) = c · forward(input, dim, U, V, W), the same input run under both',
      visibility: 'public',
      runs: 15,
      cases: fc.record({ c: rnnCase({ maxDim: 8, maxN: 16 }), scale: fc.constantFrom(2, -1, 0.5, -4) }),
      show: ({ c, scale }) => ({ ...asArguments(c), c: scale }),
      callsUpFront: true,
      async check(lab, { c, scale }) {
        const [mine, again] = await Promise.all([run(lab, c), run(lab, { ...c, W: scaled(c.W, scale) })]);
        const outputs = expectShape(mine, [c.N, c.dim], WHAT);
        expectRowsClose(again, scaled(outputs, scale), { what: `${WHAT} with W times ${scale} (expected: your outputs for W, times ${scale})` });
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
