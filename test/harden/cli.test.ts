/** `propgrade harden` as staff run it, on a small subset of operators and without Stryker. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { propgrade } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';

test('--no-stryker on two operators writes a valid harden.json: h0-ones killed by the example, sigma relu equivalent', async () => {
  const out = await tempDir('harden-cli');
  const run = await propgrade(['harden', '--no-stryker', '--operator', 'h0-ones', '--operator', 'sigma-changed', '--workers', '2', '--seed', '3', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain('property specs kill 3 of 3 mutants (100.0%)');
  const report = JSON.parse(await readFile(join(out, 'harden.json'), 'utf8'));
  expect(report).toMatchObject({ seed: 3, runs: null, score: 1, killed: 3, survived: 0, equivalent: 1, errors: 0, stryker: { status: 'skipped' } });
  // h0 = ones changes the notebook's first output; tanh and softmax as sigma change the table rows it checks.
  expect(report.baseline).toEqual({ mutants: 3, killed: 3, survived: 0, score: 1 });
  expect(report.mutants.map((m: { id: string; status: string }) => `${m.id} ${m.status}`)).toEqual([
    'h0-ones#1 killed',
    'sigma-changed#2 killed',
    'sigma-changed#3 killed',
    'sigma-changed#1 equivalent',
  ]);
  const h0 = report.mutants[0];
  expect(h0.tasks).toEqual(['forward_function']);
  expect(h0.diff).toContain('+  let h = ones(dim);');
  expect(h0.killedBy).toContainEqual({ task: 'forward_function', property: 'notebook-example', runs: 1, example: true });
  for (const file of ['harden.md', 'harden.html']) expect((await readFile(join(out, file), 'utf8')).length).toBeGreaterThan(0);
});

test('bad options exit 2 with a message that says what is accepted', async () => {
  const unknown = await propgrade(['harden', '--no-stryker', '--operator', 'nope']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/unknown --operator nope \(known: relu-dropped, .*, transposed, /);
  const workers = await propgrade(['harden', '--workers', '0']);
  expect(workers.code).toBe(2);
  expect(workers.stderr).toContain('--workers takes a whole number of at least 1');
  const positional = await propgrade(['harden', 'specs/rnn']);
  expect(positional.code).toBe(2);
  expect(positional.stderr).toContain('propgrade harden takes no positional arguments');
});

test('--operator list prints the operators harden knows for the lab, its own and the generic ones', async () => {
  const rnn = await propgrade(['harden', '--operator', 'list']);
  expect(rnn.code, rnn.stderr).toBe(0);
  expect(rnn.stdout.split('\n')).toEqual(expect.arrayContaining(['relu-dropped', 'sigma-changed', 'constant-off-by-one', 'arguments-swapped']));
  const attention = await propgrade(['harden', '--lab', 'specs/attention', '--operator', 'list']);
  expect(attention.stdout.split('\n')).toEqual(expect.arrayContaining(['mask-ignored', 'naive-softmax', 'constant-off-by-one']));
  expect(attention.stdout).not.toContain('relu-dropped');
  const help = await propgrade(['help', 'harden']);
  expect(help.stdout).toMatch(/^usage: propgrade harden \[--lab DIR\] \[--out DIR\] \[--seed N\] \[--workers N\] \[--runs N\] \[--no-stryker\] \[--operator ID\]\.\.\./);
});

test("--lab specs/attention: the lab's own operator and a generic one; the cached head is equivalent, judged by what it attends to", async () => {
  const out = await tempDir('harden-attention');
  const run = await propgrade(['harden', '--lab', 'specs/attention', '--no-stryker', '--operator', 'mask-ignored', '--operator', 'results-cached', '--workers', '2', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain('propgrade harden attention');
  const report = JSON.parse(await readFile(join(out, 'harden.json'), 'utf8'));
  const status = Object.fromEntries(report.mutants.map((m: { id: string; status: string; tasks: string[] }) => [m.id, `${m.status} ${m.tasks.join(',')}`]));
  expect(status['mask-ignored#1']).toBe('killed attention_function,attention_autograd');
  // Caching attention's results by shape is caught; caching the head, a function of n alone, is no mistake.
  expect(status['results-cached#2']).toBe('killed attention_function,attention_autograd');
  expect(status['results-cached#3']).toBe('equivalent previous_token_head');
  const head = report.mutants.find((m: { id: string }) => m.id === 'results-cached#3');
  expect(head.equivalence.reason).toMatch(/weight >= 0\.99 on the previous token/);
  expect(report.score).toBe(1);
});
