/**
 * Grades every submission of every bundled lab's corpus with the real specs and the reference, at
 * the corpus's fixed seeds: correct solutions must pass every task (zero false failures), each
 * planted bug must fail exactly the tasks its expected.json names, at every seed, and the lab's
 * example alone must catch it or not as `exampleCatches` says, and the public properties as
 * `publicCatches` says, at every seed (which is what the corpus README's
 * table reports). The static rules must not break a task that a submission is expected to pass.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LabClient } from '../../src/sandbox/protocol.ts';
import { lintModule } from '../../src/static/index.ts';
import { asDeclared, corpusSeeds, exampleFailures, exampleTable, failingTasks, failureSummary, gradeInProcess, labsWithCorpus, loadCorpus, openReference, publicFailures } from './corpus.ts';

const labs = await labsWithCorpus();

test('the bundled labs with a corpus include the RNN and the attention lab', () => {
  expect(labs.map((lab) => lab.id)).toEqual(expect.arrayContaining(['attention', 'rnn']));
});

describe.each(labs)('lab $id', (lab) => {
  const corpus = loadCorpus(lab);
  const seeds = corpusSeeds(lab);
  const ids = lab.tasks.map((t) => t.id);
  let reference: LabClient;
  beforeAll(async () => {
    reference = await openReference(lab);
  });
  afterAll(() => reference?.close());

  test('at least 4 correct solutions; every task fails in at least 3 planted bugs, each planted in a correct one', () => {
    const correct = corpus.filter((s) => s.expected.bug === null).map((s) => s.name);
    expect(correct.length).toBeGreaterThanOrEqual(4);
    for (const task of ids) expect(corpus.filter((s) => s.expected.tasks[task] === 'fail').length, task).toBeGreaterThanOrEqual(3);
    for (const s of corpus.filter((s) => s.expected.bug !== null)) expect(correct, `${s.name}: base`).toContain(s.expected.base);
  });

  describe.each(corpus)('$name', (submission) => {
    test.each(seeds)(`${submission.expected.bug === null ? 'passes every task' : 'fails exactly its tasks'} at seed %i`, async (seed) => {
      const outcomes = await gradeInProcess(lab, submission.lab, reference, { seed });
      const outcome = Object.fromEntries(outcomes.map((o) => [o.task, o.passed ? 'pass' : 'fail']));
      const surprises = outcomes
        .filter((o) => outcome[o.task] !== submission.expected.tasks[o.task])
        .map((o) => `${o.task}: expected ${submission.expected.tasks[o.task]}, got ${outcome[o.task]}\n${failureSummary(o)}`);
      expect(surprises.join('\n\n')).toBe('');
      expect(Object.keys(outcome).sort()).toEqual([...ids].sort());

      // What a student's check shows: the public properties alone catch the bug wherever publicCatches says (false: not at every seed).
      const publicFailed = await publicFailures(lab, submission.lab, reference, seed);
      const caught = failingTasks(lab, submission.expected).filter((task) => submission.expected.publicCatches?.[task]);
      expect(caught.filter((task) => !publicFailed.includes(task)), 'publicly caught at every seed').toEqual([]);
      expect(publicFailed.filter((task) => submission.expected.tasks[task] === 'pass')).toEqual([]);
    });

    test('the example alone catches the bug as exampleCatches says; the static rules break only failing tasks', async () => {
      // A task the submission passes passes its examples too; a failing one fails them exactly when exampleCatches says so.
      const exampleFailed = await exampleFailures(lab, submission, reference);
      const exampleCatches = Object.fromEntries(failingTasks(lab, submission.expected).map((task) => [task, exampleFailed.includes(task)]));
      expect(exampleCatches).toEqual(submission.expected.exampleCatches ?? {});
      expect(exampleFailed.filter((task) => submission.expected.tasks[task] === 'pass')).toEqual([]);

      const findings = (await lintModule(submission.lab, lab.tasks)).filter((f) => f.policy === 'fail');
      const brokenTasks = findings.flatMap((f) => (f.tasks.length > 0 ? f.tasks : [...ids]));
      expect(brokenTasks.filter((task) => submission.expected.tasks[task] === 'pass')).toEqual([]);
    });
  });

  // Each test above proves a submission's expected.json equals what grading measures, so the table
  // drawn from the expected outcomes is the table that grading the corpus gives.
  test('the corpus README holds the example table', () => {
    const table = exampleTable(lab, corpus.map((s) => asDeclared(lab, s)));
    expect(readFileSync(join(lab.paths.corpus!, 'README.md'), 'utf8')).toContain(table);
  });
});
