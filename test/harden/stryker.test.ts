/** Stryker's mutants of a reference, from its instrumenter: each replacement made the lab text, its diff and the tasks it touches. */
import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { strykerMutants } from '../../src/harden/stryker.ts';
import { ATTENTION } from '../helpers/attention.ts';
import { RNN } from '../helpers/rnn.ts';

const source = ['export function bpttGradU() {', '  return 2 * 3;', '}', 'export function forward() {', "  return 'x' + 1;", '}', ''].join('\n');

test("each of Stryker's mutants becomes the mutated text, its diff and the tasks whose exports it reaches", async () => {
  const mutants = await strykerMutants(RNN, source);
  const byText = new Map(mutants.map((m) => [m.text, m]));
  const arithmetic = byText.get(source.replace('2 * 3', '2 / 3'));
  expect(arithmetic).toMatchObject({ operator: 'stryker:ArithmeticOperator', source: 'stryker', tasks: ['bptt_general'] });
  expect(arithmetic!.diff).toContain('-  return 2 * 3;\n+  return 2 / 3;');
  const block = byText.get(source.replace("export function forward() {\n  return 'x' + 1;\n}", 'export function forward() {}'));
  expect(block).toMatchObject({ operator: 'stryker:BlockStatement', tasks: ['forward_function'] });
  expect(byText.get(source.replace("'x'", '""'))?.operator).toBe('stryker:StringLiteral');
  expect(new Set(mutants.map((m) => m.id)).size).toBe(mutants.length);
  for (const m of mutants) expect(m.text).not.toBe(source);
});

test("both bundled labs' references give Stryker mutants, each touching a task", async () => {
  for (const lab of [RNN, ATTENTION]) {
    const mutants = await strykerMutants(lab);
    expect(mutants.length, lab.id).toBeGreaterThan(10);
    const reference = await readFile(lab.paths.reference!, 'utf8');
    for (const m of mutants) {
      expect(m.text, m.id).not.toBe(reference);
      expect(m.tasks.length, `${lab.id} ${m.id}`).toBeGreaterThan(0);
    }
  }
});
