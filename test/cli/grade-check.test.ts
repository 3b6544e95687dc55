/** `propgrade grade` and `propgrade check` as a user runs them: a child process, exit codes, files, output. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { propgrade } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';
import { gradescopeProblems } from '../helpers/gradescope.ts';
import { RNN } from '../helpers/rnn.ts';

test('grade exits 0 on a failing submission and writes every report', async () => {
  const out = await tempDir('cli');
  const run = await propgrade(['grade', 'specs/rnn/corpus/forward-tanh', '--out', out, '--seed', '5', '--runs', '10']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`reports: ${join(out, 'results.json')}`);
  for (const file of ['results.json', 'junit.xml', 'report.md', 'report.json', 'coverage/index.html', 'coverage/coverage-final.json']) {
    expect(existsSync(join(out, file)), file).toBe(true);
  }
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  expect(gradescopeProblems(results)).toEqual([]);
  // The summary shows each task's score as results.json sums it; forward-tanh fails forward_function.
  const entries = (results.tests as Array<{ score: number; max_score: number; extra_data: { task: string } }>).filter((t) => t.extra_data.task === 'forward_function');
  const score = entries.reduce((sum, t) => sum + t.score, 0);
  const max = entries.reduce((sum, t) => sum + t.max_score, 0);
  expect(score).toBeLessThan(max);
  expect(run.stdout).toMatch(new RegExp(`forward_function\\s+${score} / ${max}\\s+\\d+ of \\d+ properties failed`));
});

test('grade without a submission is a usage error (exit 2)', async () => {
  const run = await propgrade(['grade']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('usage: propgrade grade <submission>');
});

test('check with an unknown task or property is a usage error (exit 2), before any output', async () => {
  const task = await propgrade(['check', 'specs/rnn/corpus/correct-loops', '--task', 'nope']);
  expect(task).toMatchObject({ code: 2, stdout: '' });
  expect(task.stderr).toContain("unknown task 'nope' (tasks of lab rnn: forward_by_hand,");
  const property = await propgrade(['check', 'specs/rnn/corpus/correct-loops', '--task', 'bigram', '--property', 'nope']);
  expect(property).toMatchObject({ code: 2, stdout: '' });
  expect(property.stderr).toContain("task 'bigram' has no public property 'nope' (it has: notebook-example,");
});

test('check exits 1 on a wrong submission, and its replay command reproduces the counterexample', async () => {
  const run = await propgrade(['check', 'specs/rnn/corpus/forward-drops-last-step', '--task', 'forward_function', '--seed', '7']);
  expect(run.code).toBe(1);
  const failure = run.stdout.slice(run.stdout.indexOf('✗ forward_function › prefix-consistent\n'));
  const replay = /Replay it with: npx propgrade (check .*)/.exec(failure)![1]!;
  expect(replay).toMatch(/^check specs\/rnn\/corpus\/forward-drops-last-step --task forward_function --property prefix-consistent --seed 7 --path [\d:]+$/);
  const counterexample = failure.slice(0, failure.indexOf('Replay it with'));
  expect(counterexample).toContain('tensor[');

  const again = await propgrade(replay.split(' '));
  expect(again.code).toBe(1);
  expect(again.stdout).toContain('(1 case,');
  expect(again.stdout).toContain(counterexample);
});

test('check exits 0 when every public property holds', async () => {
  const run = await propgrade(['check', 'specs/rnn/corpus/correct-loops', '--seed', '3']);
  expect(run.code).toBe(0);
  const ran = [...run.stdout.matchAll(/✓ (\w+) › ([\w-]+)/g)].map(([, task, property]) => `${task}/${property}`);
  const publicOnes = RNN.tasks.flatMap((t) => t.properties.filter((p) => p.visibility === 'public').map((p) => `${t.id}/${p.id}`));
  expect(ran).toEqual(publicOnes);
  expect(run.stdout).toContain(`${publicOnes.length} passed, 0 failed`);
});
