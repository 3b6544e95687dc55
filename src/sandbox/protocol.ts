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

/** What the grader asks of the module that sits beside the student's code (the harness). */
export type Request =
  /** Call an exported function; every PlainTensor argument arrives as a fresh leaf tensor. */
  | { id: number; kind: 'call'; exportName: string; args: Plain[] }
  /**
   * Run a bigram RNN export over a one-hot sequence `seq` [N, V] from h0 = 0:
   * the export is `{ sigma, U, V, W }`, or a function of `table` that returns one.
   * The result is the N outputs o_t = W sigma(U x_t + V h_{t-1}) as a [N, V] tensor.
   */
  | { id: number; kind: 'rnn'; exportName: string; seq: PlainTensor; table?: PlainTensor }
  /**
   * Call an export with `argNames[i]` arguments marked requiresGrad and return the Graphviz DOT of
   * the graph behind its `root` output (default: its last tensor output), leaves named (make_dot).
   */
  | { id: number; kind: 'graph'; exportName: string; args: Plain[]; argNames: string[]; root?: string }
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
  | { id: number; ok: true; value: Plain }
  | { id: number; ok: false; failure: { kind: StudentFailureKind; message: string } };

/** A failed request, thrown on the grader's side by a LabClient. */
export class StudentError extends Error {
  constructor(
    readonly kind: StudentFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'StudentError';
  }
}

/** The grader's handle on one lab module (student or reference), whatever the transport. */
export interface LabClient {
  /** Calls `exportName(...args)` and returns its result made plain. Throws StudentError. */
  call(exportName: string, ...args: Plain[]): Promise<Plain>;
  /** See the `rnn` request. Throws StudentError. */
  runRNN(exportName: string, seq: PlainTensor, table?: PlainTensor): Promise<PlainTensor>;
  /** See the `graph` request: the DOT text of the student's computation graph. */
  graph(exportName: string, args: Plain[], argNames: string[], root?: string): Promise<string>;
  /** Export names and their `typeof`. */
  exports(): Promise<Record<string, string>>;
  /** Ends the module's process (a no-op in process). */
  close(): Promise<void>;
}

export const isPlainTensor = (v: unknown): v is PlainTensor =>
  typeof v === 'object' && v !== null && (v as PlainTensor).data instanceof Float64Array && Array.isArray((v as PlainTensor).shape);
