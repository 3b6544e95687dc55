/**
 * Cross-checks the reference's answers against the TensorFlow.js oracle (src/oracle/lab.ts), loaded
 * on first use only. Answers are memoised: with a fixed seed every submission of a batch meets the
 * same cases, so the oracle runs once per case per worker.
 */
import { isPlainTensor, type Plain } from '../sandbox/protocol.ts';

/** Returns why the oracle disagrees with the reference's `value` for `exportName(...args)`, or null. */
export type Oracle = (exportName: string, args: Plain[], value: Plain) => Promise<string | null>;

const MEMO_SIZE = 1000;
const memo = new Map<string, Promise<string | null>>();

export const crossCheckWithOracle: Oracle = (exportName, args, value) => {
  const key = JSON.stringify([exportName, args, value], (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v));
  let verdict = memo.get(key);
  if (verdict === undefined) {
    if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
    verdict = loadOracle().then((oracle) => oracle.crossCheck(exportName, oracleArgs(exportName, args), value));
    memo.set(key, verdict);
  }
  return verdict;
};

type OracleModule = typeof import('../oracle/lab.ts');
let oracleModule: Promise<OracleModule> | undefined;

/**
 * The oracle on TensorFlow.js's cpu backend: a few cross-checks a grade do not repay the wasm
 * backend's start (about 1.5 s here, against 0.25 s for cpu), and cpu is tfjs's own reference.
 */
function loadOracle(): Promise<OracleModule> {
  oracleModule ??= import('../oracle/lab.ts').then(async (oracle) => {
    await oracle.useOracleBackend('cpu');
    return oracle;
  });
  return oracleModule;
}

/** The optional task's arguments reach students as tensors (U, V, W, h0 of shape [1], x of [N + 1]); the oracle takes numbers. */
function oracleArgs(exportName: string, args: Plain[]): Plain[] {
  if (exportName !== 'bpttGradU') return args;
  return args.map((a, i) => (isPlainTensor(a) ? (i === 3 ? Array.from(a.data) : a.data[0]!) : a));
}
