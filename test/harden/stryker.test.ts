/** Stryker's JSON report read into mutants: location (1-based line and column) and replacement become the lab text and its diff. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { strykerMutants } from '../../src/harden/stryker.ts';
import { RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const source = ['export function bpttGradU() {', '  return 2 * 3;', '}', 'export function forward() {', '  return 1;', '}', ''].join('\n');

test('each mutant of reference/lab.ts becomes the mutated text, its diff, its tasks and Stryker status', async () => {
  const dir = await tempDir('stryker');
  const file = join(dir, 'mutation.json');
  const report = {
    files: {
      'specs/rnn/reference/lab.ts': {
        source,
        mutants: [
          // `2 * 3` on line 2, columns 10..15 (end exclusive).
          { id: '1', mutatorName: 'ArithmeticOperator', replacement: '2 / 3', status: 'Killed', killedBy: ['0'], statusReason: 'wrong', location: { start: { line: 2, column: 10 }, end: { line: 2, column: 15 } } },
          { id: '0', mutatorName: 'BlockStatement', replacement: '{}', status: 'Survived', location: { start: { line: 4, column: 27 }, end: { line: 6, column: 2 } } },
        ],
      },
    },
    testFiles: { 'test/stryker/specs-on-reference.stryker.ts': { tests: [{ id: '0', name: 'bptt_general' }] } },
  };
  await writeFile(file, JSON.stringify(report));
  const [block, arithmetic] = await strykerMutants(RNN, file);
  expect(arithmetic).toMatchObject({ id: 'stryker#1', operator: 'stryker:ArithmeticOperator', source: 'stryker', tasks: ['bptt_general'] });
  expect(arithmetic!.text).toBe(source.replace('2 * 3', '2 / 3'));
  expect(arithmetic!.stryker).toEqual({ status: 'Killed', killedBy: ['bptt_general'], reason: 'wrong' });
  expect(block!.text).toBe(source.replace('export function forward() {\n  return 1;\n}', 'export function forward() {}'));
  expect(block!.tasks).toEqual(['forward_function']);
  expect(block!.diff).toContain('+export function forward() {}');
  await writeFile(file, JSON.stringify({ files: {} }));
  await expect(strykerMutants(RNN, file)).rejects.toThrow(/has no mutants of specs\/rnn\/reference\/lab.ts/);
});
