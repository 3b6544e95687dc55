/** `propgrade grade` and `propgrade check` as a user runs them: a child process, exit codes, files, output. */
import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { propgrade } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';
import { gradescopeProblems } from '../helpers/gradescope.ts';
import { RNN } from '../helpers/rnn.ts';
import { formatScore } from '../../src/reports/results.ts';

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
  // Summed in millionths, as the reports round: a float sum of 1/7 shares is not what anyone prints.
  const score = Math.round(entries.reduce((sum, t) => sum + t.score, 0) * 1e6) / 1e6;
  const max = entries.reduce((sum, t) => sum + t.max_score, 0);
  expect(score).toBeLessThan(max);
  // Printed as a person reads it: at most two decimals.
  expect(run.stdout).toMatch(new RegExp(`forward_function\\s+${formatScore(score)} / ${formatScore(max)}\\s+\\d+ of \\d+ properties failed`));
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

test('check on a wrong path or a folder without lab.ts says so once and exits 2 (usage), before grading', async () => {
  const empty = await tempDir('check-empty');
  for (const [target, words] of [[join(empty, 'nope'), 'does not exist'], [empty, 'There is no lab.ts in']] as const) {
    const run = await propgrade(['check', target, '--seed', '1']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr.split(words).length - 1, run.stderr).toBe(1);
  }
});

test('check says a syntax error once, with the compiler message, for every task at once', async () => {
  const dir = await tempDir('check-syntax');
  await writeFile(join(dir, 'lab.ts'), 'export function forward(input {\n');
  const run = await propgrade(['check', dir, '--seed', '1']);
  expect(run.code).toBe(1);
  // Once, in the static checks' list (each error with its line): never once per task or property.
  expect(run.stdout.split(':1:31 syntax (fail): ').length - 1, run.stdout).toBe(1);
  expect(run.stdout).toContain('✗ every task: no task runs until the static checks above pass');
});

test('check on the untouched template says "not implemented yet" once per task, and the points', async () => {
  const dir = await tempDir('check-template');
  await copyFile('specs/rnn/template/lab.ts', join(dir, 'lab.ts'));
  const run = await propgrade(['check', dir, '--seed', '1']);
  expect(run.code).toBe(1);
  const stubs = RNN.tasks.filter((t) => t.id !== 'automatic_diff'); // the template's gradient stub is refused by uses-backward first
  for (const task of stubs) expect(run.stdout.split(`✗ ${task.id}: not implemented yet`).length - 1, task.id).toBe(1);
  expect(run.stdout).not.toContain('The smallest failing case found');
  expect(run.stdout).toMatch(new RegExp(`public properties: 0 of ${RNN.tasks.length} tasks pass`));
});

test("check shows what the student's code printed, and the tasks that pass with their points; --json says the same as data", async () => {
  const dir = await tempDir('check-log');
  const source = await readFile('specs/rnn/corpus/correct-loops/lab.ts', 'utf8');
  await writeFile(join(dir, 'lab.ts'), source.replace('  let h = zeros(dim);', "  console.log('forward called with dim', dim);\n  let h = zeros(dim);"));
  const run = await propgrade(['check', dir, '--seed', '2', '--task', 'forward_function']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Your code printed:\n {4}forward called with dim \d+/);
  expect(run.stdout).toMatch(/✓ forward_function\s+1 point\s+all \d+ passed/);
  expect(run.stdout).toContain('public properties: 1 of 1 tasks pass (1 of 1 points');

  const asJson = await propgrade(['check', dir, '--seed', '2', '--task', 'forward_function', '--json']);
  expect(asJson.code).toBe(0);
  const parsed = JSON.parse(asJson.stdout) as { passed: boolean; seed: number; tasks: Array<{ task: string; points: number; passed: boolean }>; studentOutput: string };
  expect(parsed).toMatchObject({ passed: true, seed: 2, tasks: [{ task: 'forward_function', points: 1, passed: true }] });
  expect(parsed.studentOutput).toContain('forward called with dim');
});

test("check names the lab.ts line an error was thrown from, through the student's own frames only", async () => {
  const dir = await tempDir('cli');
  const correct = await readFile('specs/rnn/corpus/correct-loops/lab.ts', 'utf8');
  const step = 'function step(U: Tensor, V: Tensor, x: Tensor, h: Tensor): Tensor {\n';
  expect(correct).toContain(step);
  const helper = 'function checkState(h: Tensor): void {\n  if (h.shape.length > 0) throw new RangeError(`state of rank ${h.shape.length}`);\n}\n\n';
  const lab = correct.replace(step, `${helper}${step}  checkState(h);\n`);
  await writeFile(join(dir, 'lab.ts'), lab);
  const line = (text: string) => lab.split('\n').findIndex((l) => l.includes(text)) + 1;
  const run = await propgrade(['check', dir, '--task', 'forward_function', '--property', 'notebook-example']);
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('RangeError: state of rank 1');
  expect(run.stdout).toContain(`at checkState (lab.ts:${line('throw new RangeError')}:`);
  expect(run.stdout).toContain(`at step (lab.ts:${line('  checkState(h);')}:`);
  // No frame of the grader, the harness, the engine or the bundle reaches the student.
  expect(run.stdout).not.toMatch(/harness|bundle|src\/|node:internal|autograd/);
  // The staff detail of the reports carries them too.
  const out = await tempDir('cli');
  expect((await propgrade(['grade', dir, '--out', out, '--runs', '2'])).code).toBe(0);
  const detail = (await readFile(join(out, 'report.md'), 'utf8')).split('<summary>staff detail</summary>')[1] ?? '';
  expect(detail).toContain(`at checkState (lab.ts:${line('throw new RangeError')}:`);
});
