/**
 * `make()`'s promise, made once per key for this process and shared by every caller; a promise
 * that rejects is forgotten, so the next caller tries again rather than inherit a passing failure.
 */
export function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let made = cache.get(key);
  if (!made) {
    made = make();
    cache.set(key, made);
    made.catch(() => cache.delete(key));
  }
  return made;
}
