/**
 * A submission that loops forever from some size on, through the real sandbox (a short call limit
 * from the course config): the timed-out case is shrunk to the smallest size that loops, the cap on
 * timed-out shrinking calls is said, and no failing line says "Passed".
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { MAX_TIMED_OUT_SHRINKS } from '../../src/spec/runner.ts';
import { propgradeIn } from '../helpers/cli.ts';
import { corpusSubmission } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

/** forward loops forever on inputs of this many steps or more, and is right below. */
const LOOPS_FROM = 4;

async function loopingSubmission(): Promise<string> {
  const dir = await tempDir('loops');
  const correct = await readFile(join(corpusSubmission('correct-loops'), 'lab.ts'), 'utf8');
  const start = 'export function forward(input: Tensor, dim: number, U: Tensor, V: Tensor, W: Tensor): Tensor {\n';
  expect(correct).toContain(start);
  await writeFile(join(dir, 'lab.ts'), correct.replace(start, `${start}  if (input.shape[0]! >= ${LOOPS_FROM}) for (;;) {}\n`));
  // Each timed-out call waits out the limit: a short one keeps the test short (CPU time, so a busy machine does not cut it).
  await writeFile(join(dir, 'propgrade.config.json'), JSON.stringify({ callTimeoutMs: 250 }));
  return dir;
}

test(`check: the timed-out case is shrunk to the smallest input that loops (${LOOPS_FROM} steps), and the cap on timed-out calls is said`, async () => {
  const dir = await loopingSubmission();
  const run = await propgradeIn(dir, ['check', 'lab.ts', '--task', 'forward_function', '--seed', '3']);
  expect(run.code).toBe(1);
  const shown = run.stdout.slice(run.stdout.indexOf('counterexample:'));
  expect(shown).toMatch(new RegExp(`^counterexample:\\n\\s+\\{\\n\\s+input: tensor\\[${LOOPS_FROM}, `));
  expect(run.stdout).toContain(`Shrinking the case stopped after ${MAX_TIMED_OUT_SHRINKS.public} more calls that timed out`);
  for (const line of run.stdout.split('\n').filter((l) => l.includes('✗'))) expect(line).not.toContain('Passed');
});

test('grade: the properties that held before the timeout score 0 and say why, not "Passed"', async () => {
  const dir = await loopingSubmission();
  const out = join(dir, 'out');
  const run = await propgradeIn(dir, ['grade', 'lab.ts', '--seed', '3', '--out', out]);
  expect(run.code).toBe(0);
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { tests: Array<{ status: string; output: string; extra_data: { task: string } }> };
  const forward = results.tests.filter((t) => t.extra_data.task === 'forward_function');
  expect(forward.every((t) => t.status === 'failed')).toBe(true);
  expect(forward.filter((t) => t.output.includes('Passed'))).toEqual([]);
  expect(forward.some((t) => t.output.startsWith('Scores 0 with its task: Your code ran past the time limit'))).toBe(true);
  expect(await readFile(join(out, 'report.md'), 'utf8')).not.toContain('Passed: forward(');
});
