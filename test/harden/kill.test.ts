/** Reading who killed a mutant off a grade report. */
import { expect, test } from 'vitest';
import type { GradeReport, PropertyOutcome, TaskOutcome } from '../../src/model/report.ts';
import { verdictOf } from '../../src/harden/kill.ts';
import { RNN } from '../helpers/rnn.ts';

const property = (task: string, id: string, passed: boolean, runs: number): PropertyOutcome =>
  ({ task, property: id, title: id, visibility: 'public', passed, maxScore: 1, score: passed ? 1 : 0, runs, message: '', durationMs: 0 });

const task = (id: string, properties: PropertyOutcome[], extra: Partial<TaskOutcome> = {}): TaskOutcome =>
  ({ task: id, title: id, maxScore: 1, score: 0, passed: false, findings: [], properties, graderBugs: [], ...extra });

const report = (tasks: TaskOutcome[], graderFaults: string[] = []): GradeReport =>
  ({ submission: 'm', lab: 'rnn', seed: 1, seedSource: 'flag', startedAt: '', durationMs: 5, tasks, findings: [], sandboxLayers: [], studentOutput: '', graderFaults });

test('failed properties kill with their case counts; the fixed example counts for the baseline', () => {
  const verdict = verdictOf(report([
    task('bigram', [property('bigram', 'notebook-example', true, 1), property('bigram', 'concatenation', false, 7), property('bigram', 'matches-reference', true, 30)]),
    task('forward_function', [property('forward_function', 'notebook-example', true, 1)], { passed: true }),
  ]), RNN);
  expect(verdict).toEqual({ killedBy: [{ task: 'bigram', property: 'concatenation', runs: 7, example: false }], exampleCaught: false, graderFaults: [], durationMs: 5 });
});

test('a task broken before any case ran is killed by the break, and the example would have failed too', () => {
  const crashed = task('tiny_bigram_RNN', [property('tiny_bigram_RNN', 'notebook-example', false, 0)], { broken: { kind: 'crash', message: 'failed while loading' } });
  expect(verdictOf(report([crashed]), RNN).killedBy).toEqual([{ task: 'tiny_bigram_RNN', property: 'crash', runs: 0, example: true }]);
  expect(verdictOf(report([crashed]), RNN).exampleCaught).toBe(true);
});

test('a static break kills by its rule, not counted for the examples; a grader fault is reported, not a kill', () => {
  const finding = { rule: 'no-autograd', policy: 'fail' as const, tasks: ['bptt_general' as const], file: 'lab.ts', line: 1, column: 1, message: '' };
  const staticBreak = task('bptt_general', [property('bptt_general', 'notebook-example', false, 0)], { broken: { kind: 'static', message: '' }, findings: [finding] });
  const fault = task('bigram', [property('bigram', 'notebook-example', false, 0)], { broken: { kind: 'grader-fault', message: 'oops' } });
  const verdict = verdictOf(report([staticBreak, fault], ['static checks failed']), RNN);
  expect(verdict.killedBy).toEqual([{ task: 'bptt_general', property: 'static:no-autograd', runs: 0, example: false }]);
  expect(verdict.exampleCaught).toBe(false);
  expect(verdict.graderFaults).toEqual(['static checks failed', 'bigram: oops']);
});
