/**
 * Every corpus submission graded through the real pipeline (static checks, build, sandboxed
 * process), not only in process: each task comes out as its expected.json says, and the Gradescope
 * file it would write is valid.
 */
import { describe, expect, test } from 'vitest';
import { gradeSubmission } from '../../src/grading/grade.ts';
import { toGradescope } from '../../src/reports/results.ts';
import { CORPUS_SEED, loadCorpus } from '../corpus/corpus.ts';
import { gradescopeProblems } from '../helpers/gradescope.ts';
import { RNN, TASK_IDS } from '../helpers/rnn.ts';

describe.each(loadCorpus(RNN))('$name', ({ dir, expected }) => {
  test('grades as expected through the sandbox', async () => {
    const report = await gradeSubmission(dir, { seed: CORPUS_SEED });
    const outcomes = Object.fromEntries(report.tasks.map((t) => [t.task, t.passed ? 'pass' : 'fail']));
    expect(outcomes).toEqual(expected.tasks);
    expect(report.tasks.map((t) => t.task)).toEqual([...TASK_IDS]);
    expect(gradescopeProblems(toGradescope(report))).toEqual([]);
  });
});
