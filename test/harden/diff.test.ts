/** Edits and the diffs harden shows of them: every diff is one that `git apply` takes, the last lines of the file included. */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { unifiedDiff } from '../../src/harden/diff.ts';
import { labHarden } from '../../src/harden/lab.ts';
import { domainMutants } from '../../src/harden/mutants/index.ts';
import { bundledLabs, loadLab } from '../../src/lab/load.ts';
import { applyEdits } from '../../src/spec/mutants.ts';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);

test('edits apply right to left, whatever their order, and overlapping edits are refused', () => {
  const source = 'const h = relu(U.matmul(x));';
  // 'U' is at 15, 'relu(' spans 10..15 and ')' at 26.
  expect(applyEdits(source, [{ start: 15, end: 16, text: 'U.T' }, { start: 10, end: 15, text: '(' }])).toBe('const h = (U.T.matmul(x));');
  expect(applyEdits(source, [{ start: 10, end: 10, text: 'tanh(' }, { start: 26, end: 26, text: ')' }])).toBe('const h = tanh(relu(U.matmul(x)));');
  expect(() => applyEdits(source, [{ start: 10, end: 16, text: '' }, { start: 15, end: 17, text: '' }])).toThrow(/overlaps/);
  expect(() => applyEdits(source, [{ start: 10, end: 99, text: '' }])).toThrow(/out of range/);
});

/** Applies `diff` with git to a copy of `before` in a folder of its own; resolves with the file git made. */
async function gitApply(before: string, diff: string): Promise<string> {
  const dir = await tempDir('git-apply');
  await writeFile(join(dir, 'lab.ts'), before);
  await writeFile(join(dir, 'mutant.diff'), diff);
  await run('git', ['apply', '--check', 'mutant.diff'], { cwd: dir });
  await run('git', ['apply', 'mutant.diff'], { cwd: dir });
  return readFile(join(dir, 'lab.ts'), 'utf8');
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');

test('a unified diff with two lines of context, hunk ranges right, joined when changes are close', async () => {
  const before = lines(10) + '\n';
  const after = before.replace('line 4\n', 'LINE 4\n').replace('line 10\n', 'line 10\nline 11\n');
  expect(unifiedDiff(before, after)).toBe(
    ['--- a/lab.ts', '+++ b/lab.ts', '@@ -2,5 +2,5 @@', ' line 2', ' line 3', '-line 4', '+LINE 4', ' line 5', ' line 6', '@@ -9,2 +9,3 @@', ' line 9', ' line 10', '+line 11', ''].join('\n'),
  );
  expect(await gitApply(before, unifiedDiff(before, after))).toBe(after);
});

test.each([
  ['the last line changed, with a final newline', lines(6) + '\n', lines(5) + '\nLINE 6\n'],
  ['the last line changed, without one', lines(6), lines(5) + '\nLINE 6'],
  ['the second-to-last line changed', lines(6) + '\n', lines(4) + '\nLINE 5\nline 6\n'],
  ['a line added at the end', lines(6) + '\n', lines(6) + '\nline 7\n'],
  ['the final newline removed', lines(6) + '\n', lines(6)],
  ['the first and the last lines changed', lines(5) + '\n', 'LINE 1\n' + lines(5).split('\n').slice(1, 4).join('\n') + '\nLINE 5\n'],
])('git apply takes the diff: %s', async (_what, before, after) => {
  expect(await gitApply(before, unifiedDiff(before, after))).toBe(after);
});

test("every domain mutant's diff of every bundled lab applies with git apply to the reference and gives the mutant", async () => {
  for (const dir of await bundledLabs()) {
    const lab = await loadLab(dir);
    const reference = await readFile(lab.paths.reference!, 'utf8');
    const mutants = domainMutants(reference, lab, (await labHarden(lab)).operators);
    expect(mutants.length, lab.id).toBeGreaterThan(20);
    // An edit on the reference's last line too: the case a hand-made diff got wrong.
    const [start, end] = [reference.trimEnd().lastIndexOf('\n') + 1, reference.trimEnd().length];
    const lastLine = { ...mutants[0]!, id: 'last-line', text: applyEdits(reference, [{ start, end, text: `${reference.slice(start, end)} // edited` }]) };
    for (const m of [...mutants, { ...lastLine, diff: unifiedDiff(reference, lastLine.text) }]) {
      expect(await gitApply(reference, m.diff), `${lab.id} ${m.id}`).toBe(m.text);
    }
  }
});
