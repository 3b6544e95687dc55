/**
 * Runs `work` over `items` with at most `size` in flight (at least one). Each item also gets its
 * lane, 0 .. size - 1: the one runner that takes it, which runs its items one after another (a
 * lane can keep a warm process for all of them).
 */
export async function inPool<T>(items: T[], size: number, work: (item: T, index: number, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (id: number) => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i, id);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, (_, id) => lane(id)));
}
