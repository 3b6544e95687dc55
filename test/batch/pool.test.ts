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
