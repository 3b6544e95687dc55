/**
 * The only data that crosses between the grader and a student module: plain numbers, arrays,
 * plain objects and `{ shape, data: Float64Array }` tensors. No engine objects, no functions.
 * The same shapes serve the in-process transport (trusted modules: the reference, tests) and the
 * sandboxed child process (student code), so a spec never knows which one it talks to.
 */

/** A tensor as data: row-major float64 values and their shape (`[]` for a scalar). */
export interface PlainTensor {
  shape: number[];
  data: Float64Array;
}

/** A value a student function may take or give back, once made plain. */
export type Plain = number | boolean | string | null | PlainTensor | Plain[] | { [key: string]: Plain };

/**
 * What the grader asks of the module that sits beside the student's code (the harness). The
 * requests know no lab: a lab's own way of running an export (a model object the student returns,
 * say) is a *driver*, public code the lab ships and the build bundles beside the harness.
 */
export type Request =
  /**
   * Call an export: a function with `args` (every PlainTensor argument arrives as a fresh leaf
   * tensor), or with `driver`, the lab's driver of that name given the export's value and `args`.
   * With `trace`, the engine computation behind the result comes back too (src/sandbox/trace.ts).
   */
  | { id: number; kind: 'call'; exportName: string; args: Plain[]; driver?: string; trace?: boolean }
  /**
   * Call an export with `argNames[i]` arguments marked requiresGrad and return the Graphviz DOT of
   * the graph behind every tensor it returns (each field of a record), leaves and outputs named (make_dot).
   */
  | { id: number; kind: 'graph'; exportName: string; args: Plain[]; argNames: string[] }
  /** Names and kinds (`function`, `object`, ...) of the module's exports. */
  | { id: number; kind: 'exports' };

/** Why a request to the student's module did not give a value. */
export type StudentFailureKind =
  | 'missing-export' // the export is absent or of the wrong kind
  | 'threw' // the student's code threw (any value, not only an Error)
  | 'bad-value' // it returned something that is not plain data of an accepted shape
  | 'timeout' // the call ran over its wall-clock limit and the process was killed
  | 'crashed' // the process died (exit, signal, out of memory) during the call
  | 'protocol'; // the process broke the framing or sent an oversized/forbidden message

/** The longest failure message that crosses (a student's code can throw text of any length). */
export const MAX_FAILURE_MESSAGE = 2000;

export type Response =
  /** `trace`: the recorded computation (a Trace, src/sandbox/trace.ts), when the request asked for it. */
  | { id: number; ok: true; value: Plain; trace?: Plain }
  /** `stack`: the thrown error's stack as the student's process saw it (`threw` only); the trusted side keeps only its lab.ts frames. */
  | { id: number; ok: false; failure: { kind: StudentFailureKind; message: string; stack?: string } };

/** A failed request, thrown on the grader's side by a LabClient. */
export class StudentError extends Error {
  constructor(
    readonly kind: StudentFailureKind,
    message: string,
    /** Where in lab.ts it was thrown, `at name (lab.ts:LINE:COL)`, innermost first (src/sandbox/frames.ts); `threw` only. */
    readonly frames: readonly string[] = [],
  ) {
    super(message);
    this.name = 'StudentError';
  }
}

/** The grader's handle on one lab module (student or reference), whatever the transport. */
export interface LabClient {
  /** Calls `exportName(...args)` and returns its result made plain. Throws StudentError. */
  call(exportName: string, ...args: Plain[]): Promise<Plain>;
  /** Runs the lab's driver `driver` on the export's value and `args`. Throws StudentError. */
  drive(driver: string, exportName: string, ...args: Plain[]): Promise<Plain>;
  /** A call (or a driven one) whose engine computation is recorded too: the value and its trace. */
  traced(exportName: string, args: Plain[], driver?: string): Promise<{ value: Plain; trace: Plain }>;
  /** See the `graph` request: the DOT text of the student's computation graph. */
  graph(exportName: string, args: Plain[], argNames: string[]): Promise<string>;
  /** Export names and their `typeof`. */
  exports(): Promise<Record<string, string>>;
  /** Ends the module's process (a no-op in process). */
  close(): Promise<void>;
  /**
   * The same module, for requests sent before anyone needs their answers (the runner's calls
   * ahead, src/spec/ahead.ts): they run in turn after those asked before them, but one whose
   * process ended before it ran is dropped (it rejects with NotRun), not run again by a fresh one.
   */
  ahead?: LabClient;
}

/** A request sent ahead that no process ran (see LabClient.ahead): nobody needed its answer yet. */
export class NotRun extends Error {
  override name = 'NotRun';
}

export const isPlainTensor = (v: unknown): v is PlainTensor =>
  typeof v === 'object' && v !== null && (v as PlainTensor).data instanceof Float64Array && Array.isArray((v as PlainTensor).shape);
