/** The pool that batch and harden run their gradings in. */
import { expect, test } from 'vitest';
import { inPool } from '../../src/batch/pool.ts';

test('the pool never runs more than its size at once and runs every item', async () => {
  let running = 0;
  let peak = 0;
  const done: number[] = [];
  await inPool([1, 2, 3, 4, 5], 2, async (item) => {
    peak = Math.max(peak, ++running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    done.push(item);
  });
  expect(peak).toBe(2);
  expect(done.sort()).toEqual([1, 2, 3, 4, 5]);
});

test('each item comes with its own index; an empty list runs nothing', async () => {
  const seen: string[] = [];
  await inPool(['a', 'b', 'c'], 8, async (item, i) => void seen.push(`${i}${item}`));
  expect(seen.sort()).toEqual(['0a', '1b', '2c']);
  await inPool([], 2, async () => void seen.push('never'));
  expect(seen).toHaveLength(3);
});
