import { expect, test } from 'vitest';
import { applyEdits, unifiedDiff } from '../../src/harden/mutants/edit.ts';

test('edits apply right to left, whatever their order, and overlapping edits are refused', () => {
  const source = 'const h = relu(U.matmul(x));';
  // 'U' is at 15, 'relu(' spans 10..15 and ')' at 26.
  expect(applyEdits(source, [{ start: 15, end: 16, text: 'U.T' }, { start: 10, end: 15, text: '(' }])).toBe('const h = (U.T.matmul(x));');
  expect(applyEdits(source, [{ start: 10, end: 10, text: 'tanh(' }, { start: 26, end: 26, text: ')' }])).toBe('const h = tanh(relu(U.matmul(x)));');
  expect(() => applyEdits(source, [{ start: 10, end: 16, text: '' }, { start: 15, end: 17, text: '' }])).toThrow(/overlaps/);
  expect(() => applyEdits(source, [{ start: 10, end: 99, text: '' }])).toThrow(/out of range/);
});

test('a unified diff shows the changed lines with two lines of context and correct hunk ranges', () => {
  const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n');
  const after = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h', 'i', 'j', 'k'].join('\n');
  expect(unifiedDiff(before, after)).toBe(
    ['--- a/lab.ts', '+++ b/lab.ts', '@@ -2,5 +2,5 @@', ' b', ' c', '-d', '+D', ' e', ' f', '@@ -9,2 +9,3 @@', ' i', ' j', '+k', ''].join('\n'),
  );
  // Changes closer than 2 x 2 context lines share a hunk.
  expect(unifiedDiff('1\n2\n3\n4\n5\n6', 'x\n2\n3\n4\n5\ny')).toBe(['--- a/lab.ts', '+++ b/lab.ts', '@@ -1,6 +1,6 @@', '-1', '+x', ' 2', ' 3', ' 4', ' 5', '-6', '+y', ''].join('\n'));
});
