/** The `type-error` rule: TypeScript's diagnostics of lab.ts and each export against the type its lab declares, as warnings at lab.ts lines. */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadLab } from '../../src/lab/load.ts';
import { declaredType } from '../../src/spec/signature.ts';
import { lintSource, RULES, type TaskRules } from '../../src/static/index.ts';

async function tasksOf(lab: string): Promise<TaskRules[]> {
  const { tasks } = await loadLab(lab, { hidden: false });
  return tasks.map((t) => ({ ...t, exports: t.exports.map((e) => ({ name: e.name, declared: declaredType(e) })) }));
}
const typeErrors = async (lab: string, source: string) => lintSource('lab.ts', source, await tasksOf(lab)).filter((f) => f.rule === 'type-error');

test('type-error warns by default: it never fails a task on its own', () => {
  expect(RULES['type-error'].policy).toBe('warn');
});

describe('a wrong return type and parameters in the wrong order', () => {
  test('are warnings at the lab.ts lines that have them', async () => {
    const correct = await readFile('specs/rnn/corpus/correct-loops/lab.ts', 'utf8');
    const header = 'export function forward(input: Tensor, dim: number, U: Tensor, V: Tensor, W: Tensor): Tensor {';
    const relu = 'export function relu(z: Tensor): Tensor {';
    expect(correct).toContain(header);
    const wrong = correct
      .replace(header, 'export function forward(dim: number, input: Tensor, U: Tensor, V: Tensor, W: Tensor): Tensor {')
      .replace(relu, 'export function relu(z: Tensor): number {');
    const lineOf = (text: string) => wrong.split('\n').findIndex((l) => l.includes(text)) + 1;
    const found = await typeErrors('specs/rnn', wrong);
    expect(found.every((f) => f.policy === 'warn' && f.file === 'lab.ts')).toBe(true);
    // relu's own body returns a Tensor where it promised a number.
    expect(found.some((f) => f.line === lineOf('return clamp(z, { min: 0 })') && /not assignable to type 'number'/.test(f.message))).toBe(true);
    // forward takes dim first, where the lab declares (input: Tensor, dim: number, ...).
    const forward = found.find((f) => f.line === lineOf('export function forward(dim: number'));
    expect(forward?.message).toContain("'forward' does not fit the type the lab declares for it, (input: Tensor, dim: number");
  });
});

describe('clean submissions have no type errors', () => {
  const submissions = (lab: string) => [
    join(lab, 'reference'),
    ...readdirSync(join(lab, 'corpus')).filter((name) => name.startsWith('correct-')).map((name) => join(lab, 'corpus', name)),
  ];
  for (const lab of ['specs/rnn', 'specs/attention']) {
    test.each(submissions(lab))(`${lab}: %s`, async (dir) => {
      expect(await typeErrors(lab, await readFile(join(dir, 'lab.ts'), 'utf8'))).toEqual([]);
    });
  }
});
