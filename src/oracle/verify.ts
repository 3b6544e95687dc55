/**
 * Runs engine-vs-oracle properties with fast-check: every case is a Graph checked by check.ts.
 * Counts what the generators covered (their labels), how many cases decided a kink exactly, and
 * every case left out with its reason; on a failure, gives the shrunk counterexample and the
 * seed and path that replay it.
 */
import fc from 'fast-check';
import type { LoadedTf } from './backend.ts';
import { checkGraph, checkTorch, type EngineOps, type Verdict } from './check.ts';
import { formatDisagreement } from './compare.ts';
import { show, type Graph } from './graph.ts';
import type { TorchOracle } from './torch.ts';

/** What the engine is checked against. */
export interface Oracle {
  /** `TensorFlow.js 4.22.0 on the wasm backend`, `PyTorch 1.13.1 (/usr/bin/python3)` */
  name: string;
  check(graph: Graph, ops?: EngineOps): Verdict | Promise<Verdict>;
}

export const tfjsOracle = (loaded: LoadedTf): Oracle => ({
  name: `TensorFlow.js ${loaded.tf.version_core} on the ${loaded.backend} backend`,
  check: (graph, ops) => checkGraph(loaded, graph, ops),
});

/** PyTorch, with TensorFlow.js deriving the error bounds (check.ts, checkTorch). */
export const torchOracle = (torch: TorchOracle, bounds: LoadedTf): Oracle => ({
  name: torch.name,
  check: (graph, ops) => checkTorch(torch, bounds, graph, ops),
});

/** What verify needs of a property (specs/engine/index.ts declares them). */
export interface GraphProperty<Case = any> {
  /** Stable id, used by --property and in replay commands. */
  id: string;
  title: string;
  cases: fc.Arbitrary<Case>;
  /** The computation a case stands for. */
  graph(c: Case): Graph;
  /** Coverage labels of a case (fc.statistics style). */
  label(c: Case): string[];
}

export interface PropertyReport {
  id: string;
  title: string;
  runs: number;
  /** Cases with a branch decision (relu, clamp, abs, a tie), and those where one sat exactly on its kink. */
  kinkedCases: number;
  exactKinkCases: number;
  /** Compared values held to exact equality, of all compared. */
  exactlyCompared: number;
  compared: number;
  /** Reasons cases were left out of the comparison, with counts. */
  excluded: Map<string, number>;
  labels: Map<string, number>;
  failure?: {
    /** The shrunk counterexample, readable. */
    counterexample: string;
    message: string;
    seed: number;
    path: string;
  };
  ms: number;
}

export interface VerifyOptions {
  runs: number;
  seed?: number;
  /** Replays one counterexample (with seed): fast-check's path from a failure report. */
  path?: string;
  /** The engine under test, when not the real one (planted bugs). */
  ops?: EngineOps;
}

/** Exclusion reasons carry numbers; count them by kind. */
const reasonKind = (reason: string) => reason.replace(/(?<![\w.])-?\d+(\.\d+)?(e[-+]?\d+)?/g, '#').slice(0, 90);

export async function verifyProperty(oracle: Oracle, property: GraphProperty, { runs, seed, path, ops }: VerifyOptions): Promise<PropertyReport> {
  const report: PropertyReport = { id: property.id, title: property.title, runs: 0, kinkedCases: 0, exactKinkCases: 0, exactlyCompared: 0, compared: 0, excluded: new Map(), labels: new Map(), ms: 0 };
  const start = Date.now();
  let shrinking = false; // stop counting once fast-check starts shrinking a failure
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  const details = await fc.check(
    fc.asyncProperty(property.cases, async (c) => {
      const verdict = await oracle.check(property.graph(c), ops);
      if (!shrinking) {
        report.runs++;
        for (const l of new Set(property.label(c))) count(report.labels, l);
        if (verdict.decisions > 0) report.kinkedCases++;
        if (verdict.exactKinks > 0) report.exactKinkCases++;
        report.exactlyCompared += verdict.exactlyCompared;
        report.compared += verdict.compared;
        if (verdict.status === 'excluded') count(report.excluded, reasonKind(verdict.reason!));
      }
      if (verdict.status === 'disagree') {
        shrinking = true;
        throw new Error([verdict.reason, ...verdict.disagreements.map(formatDisagreement)].filter(Boolean).join('\n'));
      }
    }),
    { numRuns: runs, seed, path, endOnFailure: path !== undefined },
  );
  if (details.failed && details.counterexample) {
    const [c] = details.counterexample;
    const error = details.errorInstance;
    report.failure = {
      counterexample: show(property.graph(c).root),
      message: error instanceof Error ? error.message : String(error),
      seed: details.seed,
      path: details.counterexamplePath ?? '',
    };
  }
  report.ms = Date.now() - start;
  return report;
}
