/**
 * Cross-checks the reference's answers: its recorded computation is replayed in TensorFlow.js
 * (src/oracle/crosscheck.ts, loaded on first use). Where a lab ships alternative computations (its
 * `oracle` module: e.g. a gradient the reference derives by hand, computed there with autograd),
 * the alternative's recorded computation is replayed instead. Verdicts are memoised: with a fixed
 * seed every submission of a batch meets the same cases, so the oracle runs once per case per worker.
 */
import { openShared } from '../sandbox/inprocess.ts';
import type { LabClient, Plain } from '../sandbox/protocol.ts';
import type { Trace } from '../sandbox/trace.ts';

/** What the oracle is asked: the reference's answer to `exportName(...args)` and its recorded computation. */
export interface OracleRequest {
  exportName: string;
  args: Plain[];
  value: Plain;
  trace: Plain;
  driver?: string;
}

/** Why the oracle disagrees with the reference's answer, or null (also when it could not check: staff hear of that apart). */
export type Oracle = (request: OracleRequest) => Promise<string | null>;

const MEMO_SIZE = 1000;

/** The lab's alternative computations, in process: which exports they cover. */
export interface Alternatives {
  client: LabClient;
  exports: string[];
}

export function traceOracle(alternatives?: Alternatives): Oracle {
  const memo = new Map<string, Promise<string | null>>();
  return (request) => {
    const key = JSON.stringify([request.exportName, request.driver, request.args, request.value], (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v));
    let verdict = memo.get(key);
    if (verdict === undefined) {
      if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
      verdict = check(request, alternatives);
      memo.set(key, verdict);
    }
    return verdict;
  };
}

async function check(request: OracleRequest, alternatives: Alternatives | undefined): Promise<string | null> {
  const { crossCheckTrace, oracleBackend } = await import('../oracle/crosscheck.ts');
  // cpu: a few cross-checks a grade do not repay the wasm backend's start (about 1.5 s here, 0.25 s for cpu).
  await (cpu ??= oracleBackend('cpu'));
  let trace = request.trace;
  if (alternatives?.exports.includes(request.exportName)) {
    ({ trace } = await alternatives.client.traced(request.exportName, request.args, request.driver));
  }
  const verdict = await crossCheckTrace(request.value, trace as unknown as Trace, request.exportName);
  return verdict.disagreement;
}

let cpu: Promise<unknown> | undefined;

/**
 * The oracle of a lab: its reference's recorded computations replayed, with the alternatives of its
 * `oracle` module (opened in process, closed by `close`) where it has one.
 */
export async function openLabOracle(lab: { paths: { oracle?: string; driver?: string } }): Promise<{ oracle: Oracle; close(): Promise<void> }> {
  if (!lab.paths.oracle) return { oracle: traceOracle(), close: async () => {} };
  const client = await openShared(lab.paths.oracle, { driver: lab.paths.driver });
  const exports = Object.keys(await client.exports());
  return { oracle: traceOracle({ client, exports }), close: () => client.close() };
}
