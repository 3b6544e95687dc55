/**
 * The grader's own work on a submission's text (the static checks, graph layout) in a worker
 * thread with a deadline and a heap limit, so a hostile file costs seconds, not the grader. The
 * code that runs there is the project's, so a worker suffices (FIELD-NOTES: it is no boundary for
 * the student's own code, which runs in the sandboxed child). One idle worker per module is kept
 * for the next call; a worker that overran is terminated.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface Budget {
  /** What runs, for the message: `the static checks`. */
  what: string;
  timeoutMs: number;
  heapMb: number;
}

/** The work overran its budget (or its worker died): the caller fails what it touches, with this message. */
export class BudgetExceeded extends Error {
  override name = 'BudgetExceeded';
}

// The ESM build of tsx's API (its CommonJS build cannot register from a worker).
const TSX = import.meta.resolve('tsx/esm/api');

/** True in the prebuilt command line only (scripts/build-cli.mjs defines it). */
declare const PROPGRADE_PREBUILT: boolean | undefined;
const SRC = new URL('../', import.meta.url);
/** The prebuilt command line's folder (this chunk's), where its worker entries are. */
const BUILT = typeof PROPGRADE_PREBUILT === 'undefined' ? undefined : new URL(import.meta.resolve('./'));
/** workerModule's answers from the build, by source: the file system is asked once per module. */
const resolved = new Map<string, URL>();

/**
 * What a worker imports for the source module `source`: in the prebuilt command line, the entry
 * built from it beside the bundle (`src/static/index.ts` -> `static/index.js`, needing no TypeScript
 * in the thread), while there is one; else the source, which the thread compiles through tsx.
 */
export function workerModule(source: URL, built: URL | undefined = BUILT): URL {
  if (built === undefined || !source.href.startsWith(SRC.href)) return source;
  const key = `${built.href} ${source.href}`;
  const known = resolved.get(key);
  if (known) return known;
  const entry = new URL(source.href.slice(SRC.href.length).replace(/\.ts$/, '.js'), built);
  const module = existsSync(fileURLToPath(entry)) ? entry : source;
  resolved.set(key, module);
  return module;
}

// CommonJS, as an eval'd worker is: it teaches the thread TypeScript (tsx) when the module is TypeScript, then serves calls.
const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
const teach = workerData.module.endsWith('.ts') ? import(workerData.tsx).then(({ register }) => register()) : Promise.resolve();
const ready = teach.then(() => import(workerData.module));
parentPort.on('message', async ({ id, name, args }) => {
  try { const module = await ready; parentPort.postMessage({ id, started: true }); parentPort.postMessage({ id, value: await module[name](...args) }); }
  catch (error) { parentPort.postMessage({ id, error: error instanceof Error ? error.stack || error.message : String(error) }); }
});`;

const BOOT_TIMEOUT_MS = 300_000;

/** The called function threw (its stack as the message): the worker itself is fine. */
class CallFailed extends Error {}

interface Idle {
  worker: Worker;
  heapMb: number;
}

const idle = new Map<string, Idle>();
let next = 0;

/** Keeps a healthy worker for the next call (one per module; an extra one from concurrent calls ends). */
function park(key: string, slot: Idle): void {
  slot.worker.removeAllListeners('error').removeAllListeners('exit').unref();
  if (idle.has(key)) void slot.worker.terminate();
  else idle.set(key, slot);
}

/** `source`'s export `name` (workerModule) called with `args` (structured-cloneable) in a worker, within `budget`. */
export async function withinBudget<T>(source: URL, name: string, args: unknown[], budget: Budget): Promise<T> {
  const key = workerModule(source).href;
  let slot = idle.get(key);
  idle.delete(key);
  if (slot && slot.heapMb !== budget.heapMb) void slot.worker.terminate();
  if (!slot || slot.heapMb !== budget.heapMb) {
    const worker = new Worker(BOOT, { eval: true, execArgv: [], workerData: { tsx: TSX, module: key }, resourceLimits: { maxOldGenerationSizeMb: budget.heapMb } });
    slot = { worker, heapMb: budget.heapMb };
  }
  const { worker } = slot;
  worker.ref();
  const id = next++;
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await new Promise<T>((resolve, reject) => {
      const stop = (message: string) => reject(new BudgetExceeded(`${budget.what} stopped: ${message}`));
      // Loading the module is the grader's own cost: the clock starts with the call (a boot that hangs is a fault).
      timer = setTimeout(() => reject(new Error(`${budget.what}: the worker did not start within ${BOOT_TIMEOUT_MS / 1000} s`)), BOOT_TIMEOUT_MS);
      // Only time and memory are the input's doing; any other failure of the worker is the grader's.
      worker.once('error', (error: Error & { code?: string }) =>
        error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? stop(`over the budget of ${budget.heapMb} MB of memory`) : reject(error));
      worker.once('exit', (code) => reject(new Error(`${budget.what}: the worker exited (${code})`)));
      worker.on('message', function answer(message: { id: number; started?: true; value?: T; error?: string }) {
        if (message.id !== id) return;
        if (message.started) {
          clearTimeout(timer);
          timer = setTimeout(() => stop(`over the budget of ${budget.timeoutMs / 1000} s`), budget.timeoutMs);
          return;
        }
        worker.off('message', answer);
        if (message.error !== undefined) reject(new CallFailed(message.error));
        else resolve(message.value as T);
      });
      worker.postMessage({ id, name, args });
    });
    park(key, slot);
    return value;
  } catch (error) {
    // A worker that overran or died is dropped; one whose call threw serves the next.
    if (error instanceof BudgetExceeded || !(error instanceof CallFailed)) await worker.terminate();
    else park(key, slot);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
