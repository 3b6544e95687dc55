// Loading TensorFlow.js for benchmarks: every backend asked for is either loaded or skipped with why.
import { describe, expect, it } from 'vitest';
import { BACKENDS, loadEveryBackend } from '../../src/oracle/backend.ts';

describe('loadEveryBackend', () => {
  it('accounts for every backend asked for, in order: loaded, or skipped with a reason', async () => {
    const { tf, backends, skipped } = await loadEveryBackend(['cpu', 'wasm', 'tensorflow']);
    expect(backends.slice(0, 2)).toEqual(['cpu', 'wasm']); // both are dependencies of the project
    expect([...backends, ...skipped.map((s) => s.backend)].sort()).toEqual([...BACKENDS].sort());
    for (const { reason } of skipped) expect(reason).not.toBe('');
    expect(tf.getBackend()).toBe(backends.at(-1)); // the last one loaded is the active one
  });
});
