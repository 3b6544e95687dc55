/** Task attention_by_hand: the lab's 2 x 2 example step by step, scores, then weights, then output. */
import { defineTask, example, expectFields, expectTensorClose, property, type LabClient, type Plain } from 'propgrade/spec';
import { matmul, scaledScores, softmaxRows } from '../arithmetic.ts';
import * as lab from '../example.ts';
import { attentionByHand } from '../exports.ts';
import { asArguments, byHandCase, type AttentionCase } from '../generators/attention.ts';

export const OUTPUTS = ['scores', 'weights', 'output'] as const;
export const WHAT = 'attentionByHand(Q, K, V)';

export const run = (student: LabClient, c: Pick<AttentionCase, 'Q' | 'K' | 'V'>) => attentionByHand.call(student, c);

/** The three fields, each close to `expected`'s. */
export function expectSteps(actual: Plain, expected: Record<string, Plain>): void {
  const mine = expectFields(actual, [...OUTPUTS], WHAT);
  for (const name of OUTPUTS) expectTensorClose(mine[name]!, expected[name]!, { what: name });
}

export default defineTask({
  id: 'attention_by_hand',
  title: "Attention by hand: the lab's 2 x 2 example",
  points: 1,
  exports: [attentionByHand],
  rules: [lab.noHardcodedExample],
  properties: [
    example('lab-example', "scores, weights and output on the lab's Q, K, V", async (student) => {
      expectSteps(await run(student, lab), lab.answers);
    }),

    property({
      id: 'step-equations',
      title: 'on other 2 x 2 queries, keys and values (ties and large scores among them), each of scores, weights, output follows its equation from the step before',
      visibility: 'public',
      runs: 25,
      callsUpFront: true,
      cases: byHandCase(),
      show: asArguments,
      async check(student, c) {
        const mine = expectFields(await run(student, c), [...OUTPUTS], WHAT);
        const scores = expectTensorClose(mine.scores!, scaledScores(c.Q, c.K), { what: 'scores = Q Kᵀ / √d' });
        const weights = expectTensorClose(mine.weights!, softmaxRows(scores), { what: 'weights = softmax(scores), row by row' });
        expectTensorClose(mine.output!, matmul(weights, c.V), { what: 'output = weights V' });
      },
    }),
  ],
});
