/**
 * Grades every submission of the corpus with the real specs and the reference, at a fixed seed:
 * correct solutions must pass every task (zero false failures), each planted bug must fail exactly
 * the tasks its expected.json names, and the notebook's example alone must catch it or not as
 * `exampleCatches` says (which is what the README table reports). The static rules must not break
 * a task that a submission is expected to pass.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LabClient } from '../../src/sandbox/protocol.ts';
import { lintModule } from '../../src/static/index.ts';
import { asDeclared, CORPUS_DIR, exampleTable, failingTasks, failureSummary, loadCorpus, measure, openReference } from './corpus.ts';
import { RNN, TASK_IDS } from '../helpers/rnn.ts';

const corpus = loadCorpus();
const correct = corpus.filter((s) => s.expected.bug === null);
const wrong = corpus.filter((s) => s.expected.bug !== null);

let reference: LabClient;
beforeAll(async () => {
  reference = await openReference();
});
afterAll(() => reference?.close());

test('the corpus has at least 4 correct solutions and 24 single-bug ones, each bug planted in a correct one', () => {
  expect(correct.length).toBeGreaterThanOrEqual(4);
  expect(wrong.length).toBeGreaterThanOrEqual(24);
  const correctNames = correct.map((s) => s.name);
  for (const s of wrong) expect(correctNames, `${s.name}: base`).toContain(s.expected.base);
});

describe.each(corpus)('$name', (submission) => {
  test(submission.expected.bug ?? 'passes every task', async () => {
    const result = await measure(submission, reference);
    const outcome = Object.fromEntries(result.outcomes.map((o) => [o.task, o.passed ? 'pass' : 'fail']));
    const surprises = result.outcomes
      .filter((o) => outcome[o.task] !== submission.expected.tasks[o.task])
      .map((o) => `${o.task}: expected ${submission.expected.tasks[o.task]}, got ${outcome[o.task]}\n${failureSummary(o)}`);
    expect(surprises.join('\n\n')).toBe('');
    expect(Object.keys(outcome).sort()).toEqual([...TASK_IDS].sort());

    // The examples alone: a task the submission passes passes them too; a failing one fails them
    // exactly when exampleCatches says so.
    const exampleCatches = Object.fromEntries(failingTasks(submission.expected).map((task) => [task, result.exampleFailed.includes(task)]));
    expect(exampleCatches).toEqual(submission.expected.exampleCatches ?? {});
    expect(result.exampleFailed.filter((task) => submission.expected.tasks[task] === 'pass')).toEqual([]);

    // The static rules may break only tasks the submission fails anyway.
    const findings = (await lintModule(submission.lab, RNN.tasks)).filter((f) => f.policy === 'fail');
    const brokenTasks = findings.flatMap((f) => (f.tasks.length > 0 ? f.tasks : [...TASK_IDS]));
    expect(brokenTasks.filter((task) => submission.expected.tasks[task] === 'pass')).toEqual([]);
  });
});

// Each test above proves a submission's expected.json equals what grading measures, so the table
// drawn from the expected outcomes is the table that grading the corpus gives.
test('the corpus README holds the example table', () => {
  const table = exampleTable(corpus.map(asDeclared));
  expect(readFileSync(`${CORPUS_DIR}README.md`, 'utf8')).toContain(table);
});
