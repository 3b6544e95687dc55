/** A GradeReport built by hand: one of each kind of outcome, with awkward characters on purpose. */
import type { Finding, GradeReport, PropertyOutcome } from '../../src/model/report.ts';

const tensor = (shape: number[], values: number[]) => ({ shape, data: Float64Array.from(values) });

const outcome = (task: string, property: string, fields: Partial<PropertyOutcome>): PropertyOutcome => ({
  task,
  property,
  title: `${property} holds`,
  visibility: 'public',
  passed: true,
  maxScore: 5,
  score: 5,
  runs: 100,
  message: 'Passed.',
  durationMs: 12.5,
  ...fields,
});

export const staticFailure: Finding = {
  rule: 'no-autograd',
  policy: 'fail',
  tasks: ['automatic_diff'],
  file: 'lab.ts',
  line: 41,
  column: 3,
  message: 'gradH11WrtU must use backward(), not a formula',
};

export const warning: Finding = { ...staticFailure, rule: 'no-console', policy: 'warn', tasks: [], line: 7, message: 'remove console.log' };

export function sampleReport(): GradeReport {
  return {
    submission: 'fixtures/sample',
    lab: 'rnn',
    seed: 1234,
    seedSource: 'flag',
    startedAt: '2026-11-25T01:00:00.000Z',
    durationMs: 2345,
    findings: [staticFailure, warning],
    sandboxLayers: ['permission-model', 'frozen-intrinsics'],
    studentOutput: 'hello from lab.ts\n',
    coverage: { lines: 87.5, branches: 50, perTask: { forward_by_hand: { lines: 40, branches: 0 }, forward_function: { lines: 62.5, branches: 50 } } },
    graderFaults: [],
    tasks: [
      {
        task: 'forward_by_hand',
        title: 'Two RNN steps',
        maxScore: 10,
        score: 10,
        passed: true,
        findings: [],
        graderBugs: [],
        properties: [outcome('forward_by_hand', 'matches-example', { maxScore: 10, score: 10 })],
      },
      {
        task: 'forward_function',
        title: 'forward over a sequence',
        maxScore: 10,
        score: 5,
        passed: false,
        findings: [],
        graderBugs: ['reference and oracle differ at [0, 1]'],
        properties: [
          outcome('forward_function', 'matches-example', {}),
          outcome('forward_function', 'random-inputs', {
            passed: false,
            score: 0,
            runs: 3,
            message: 'forward(input, dim, U, V, W) departs at t = 2 <tag> & "quotes" \u0001',
            staff: { seed: 99, path: '2:0', counterexample: { input: tensor([2, 2], [1, 2, 3, NaN]) } },
            divergence: { step: 2, expected: tensor([2], [0.5, 0.25]), actual: tensor([2], [0.5, -1]) },
          }),
        ],
      },
      {
        task: 'general_bigram_RNN',
        title: 'An RNN for any bigram table',
        maxScore: 10,
        score: 0,
        passed: false,
        findings: [],
        graderBugs: [],
        properties: [
          outcome('general_bigram_RNN', 'random-tables', {
            visibility: 'hidden',
            passed: false,
            maxScore: 10,
            score: 0,
            message: 'Failed: random-tables holds. Your code gave a wrong answer on a hidden case.',
            staff: {
              seed: 42,
              path: '3:1',
              counterexample: tensor([1, 2], [0, 1]),
              replay: 'npx propgrade check fixtures/sample --task general_bigram_RNN --property random-tables --seed 1234 --path 3:1 --hidden',
            },
            divergence: { step: 3, expected: tensor([2], [0.75, 0.25]), actual: tensor([2], [0.5, 0.5]) },
          }),
        ],
      },
      {
        task: 'automatic_diff',
        title: 'Gradient with backward()',
        maxScore: 10,
        score: 0,
        passed: false,
        broken: { kind: 'static', message: 'lab.ts:41:3 no-autograd: gradH11WrtU must use backward(), not a formula' },
        findings: [staticFailure],
        graderBugs: [],
        properties: [
          outcome('automatic_diff', 'matches-torch', {
            passed: false,
            maxScore: 10,
            score: 0,
            runs: 0,
            message: 'lab.ts:41:3 no-autograd: gradH11WrtU must use backward(), not a formula',
            durationMs: 0,
          }),
        ],
      },
    ],
  };
}
