/**
 * Is the reference right? Its recorded engine computation (trace.ts) is replayed in TensorFlow.js
 * and every tensor of its answer is compared with the replay, within the tolerance the replay
 * derives (compare.ts). A relu/clamp decision float32 could have flipped leaves the answer
 * undecided there: either branch is right. Nothing here knows a lab.
 */
import { isPlainTensor, type Plain } from '../sandbox/protocol.ts';
import type { Trace } from '../sandbox/trace.ts';
import { loadBackend, type BackendName, type LoadedTf } from './backend.ts';
import { disagreements, formatDisagreement } from './compare.ts';
import { mayFlip, replay, type Bounded, type Replay } from './replay.ts';
import { replayPlans } from './trace.ts';

export interface CrossCheck {
  /** The first disagreement, or null. */
  disagreement: string | null;
  /** Results compared with a replay, and those that could not be (with the reason). */
  compared: number;
  unchecked: string[];
  backend: BackendName;
}

let loaded: Promise<LoadedTf> | undefined;

/** The oracle's TensorFlow.js on `backend` (default: the best one here), loaded once. */
export function oracleBackend(backend?: BackendName): Promise<LoadedTf> {
  if (backend !== undefined) loaded = loadBackend(backend);
  loaded ??= loadBackend();
  return loaded;
}

/** `value`, the answer whose computation `trace` recorded, against the replay of that computation. */
export async function crossCheckTrace(value: Plain, trace: Trace, what: string): Promise<CrossCheck> {
  const { tf, backend } = await oracleBackend();
  const unchecked: string[] = [];
  let compared = 0;
  for (const plan of replayPlans(trace)) {
    const where = `${what}${plan.path}`;
    if (plan.kind === 'skip') {
      unchecked.push(`${where}: ${plan.reason}`);
      continue;
    }
    let oracle: { bounded: Bounded; undecided: number };
    if (plan.kind === 'value') {
      const run = replay(tf, plan.graph);
      if (run.outside) {
        unchecked.push(`${where}: ${run.outside}`);
        continue;
      }
      oracle = { bounded: run.nodes.get(plan.graph.root)!, undecided: undecided(run) };
    } else {
      const runs = plan.graphs.map((graph) => replay(tf, graph));
      const outside = runs.find((r) => r.outside)?.outside;
      if (outside) {
        unchecked.push(`${where}: ${outside}`);
        continue;
      }
      oracle = { bounded: sumOf(runs.map((r) => r.grads.get(plan.leaf)!)), undecided: runs.reduce((n, r) => n + undecided(r), 0) };
    }
    compared++;
    const why = agree(valueAt(value, plan.path), oracle, where);
    if (why) return { disagreement: `${why} (oracle on ${backend})`, compared, unchecked, backend };
  }
  return { disagreement: null, compared, unchecked, backend };
}

/** relu/clamp/abs decisions and ties within float32 error of their kink. */
const undecided = (run: Replay) => run.decisions.reduce((n, d) => n + d.kinks.filter(mayFlip).length, 0);

/** Gradients of several backward passes add up in the leaf, as the engine accumulates them. */
function sumOf(parts: Bounded[]): Bounded {
  const [first, ...rest] = parts;
  const value = Float32Array.from(first!.value);
  const error = Float64Array.from(first!.error);
  for (const p of rest) for (let i = 0; i < value.length; i++) [value[i], error[i]] = [value[i]! + p.value[i]!, error[i]! + p.error[i]!];
  return { value, error, shape: first!.shape, exact: parts.every((p) => p.exact) };
}

/** Why the reference's `expected` (a number or a tensor) disagrees with the oracle, or null when it agrees. */
export function agree(expected: Plain | undefined, oracle: { bounded: Bounded; undecided: number }, what: string): string | null {
  const values = typeof expected === 'number' ? Float64Array.of(expected) : isPlainTensor(expected) ? expected.data : undefined;
  if (values === undefined) return `${what}: expected a number or a tensor, got ${JSON.stringify(expected)}`;
  const { bounded } = oracle;
  const scalar = bounded.value.length === 1 && bounded.shape.length <= 1;
  if (!scalar && isPlainTensor(expected) && expected.shape.join() !== bounded.shape.join()) {
    return `${what}: shape [${expected.shape}] where the oracle has [${bounded.shape}]`;
  }
  const found = disagreements(what, values, bounded.value, bounded.error, 1);
  if (found.length === 0 || oracle.undecided > 0) return null; // an undecided kink: either branch is right
  return formatDisagreement(found[0]!);
}

/** The part of a result at `path` ('', '.h1', '[2].o'), as the trace names it. */
export function valueAt(value: Plain, path: string): Plain | undefined {
  let at: Plain | undefined = value;
  for (const [, key, index] of path.matchAll(/\.([^.[]+)|\[(\d+)\]/g)) {
    if (at === null || typeof at !== 'object' || isPlainTensor(at)) return undefined;
    at = key !== undefined ? (at as Record<string, Plain>)[key] : (at as Plain[])[Number(index)];
  }
  return at;
}
