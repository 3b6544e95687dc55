/**
 * Watching the engine at work, for the grader's harness (not part of the public API): every op a
 * computation applies and every backward pass it runs. The harness uses it to record the reference's
 * computation for the oracles and to see where a student's gradient came from. Nothing is watched
 * unless an observer is installed, so students pay nothing for it.
 */
import type { Tensor } from './tensor.ts';

export interface Observer {
  /** A primitive applied at the top level (ops an op's forward uses inside are not reported). */
  op(name: string, inputs: readonly Tensor[], param: unknown, out: Tensor): void;
  /** `root.backward(seed)` ran and reached these leaves (their `grad` now holds the sum). */
  backward(root: Tensor, seed: Float64Array, leaves: readonly Tensor[]): void;
}

let current: Observer | null = null;

/** The observer installed now, if any. */
export const observer = (): Observer | null => current;

/** Installs `watcher` until the returned function is called (the previous one comes back then). */
export function observe(watcher: Observer): () => void {
  const previous = current;
  current = watcher;
  return () => {
    current = previous;
  };
}
