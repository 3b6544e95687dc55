/**
 * The harness: the only grader code that runs beside a student's module, inside its bundle (so it
 * shares the student's engine instance). It turns plain requests into calls on the module and the
 * module's answers back into plain data. It holds nothing secret: it knows no expected value.
 * Everything it sends is checked again on the trusted side (see validate.ts): this side is only
 * as honest as the student's code lets it be.
 */
import { Tensor, toDot } from 'propgrade/autograd';
import { isPlainTensor, MAX_FAILURE_MESSAGE, type Plain, type Request, type Response, type StudentFailureKind } from './protocol.ts';
import { recording } from './trace.ts';

type LabModule = Record<string, unknown>;

/**
 * A lab's drivers (its public `driver` module): each runs an export the grader cannot call with
 * plain data alone, e.g. a model object `{ sigma, U, V, W }` the student returns, given the
 * export's value and the call's arguments (as tensors), inside the student's process.
 */
export type Drivers = Record<string, unknown>;

class Failure extends Error {
  constructor(
    readonly kind: StudentFailureKind,
    message: string,
    /** The stack of what the student's code threw, for the trusted side to map to lab.ts lines. */
    readonly thrownStack?: string,
  ) {
    super(message);
  }
}

/** Builds the request handler for a module loaded lazily, so that a module that throws on load fails each request with that reason. */
export function createHandler(load: () => Promise<LabModule>, drivers: Drivers = {}): (request: Request) => Promise<Response> {
  let loaded: Promise<LabModule> | undefined;
  const module = () => (loaded ??= load());
  return async (request) => {
    try {
      const lab = await module().catch((error: unknown) => {
        throw new Failure('threw', `your module failed while loading: ${describeThrown(error)}`, stackOf(error));
      });
      if (request.kind === 'call') return { id: request.id, ok: true, ...(await call(lab, drivers, request)) };
      return { id: request.id, ok: true, value: await answer(lab, request) };
    } catch (error) {
      // Only studentCall and studentRead say 'threw': anything else went wrong reading what the code gave back.
      const failure = error instanceof Failure ? error : new Failure('bad-value', `the grader could not read what your code gave back: ${describeThrown(error)}`);
      const stack = failure.thrownStack === undefined ? {} : { stack: truncate(failure.thrownStack) };
      return { id: request.id, ok: false, failure: { kind: failure.kind, message: truncate(failure.message), ...stack } };
    }
  };
}

/** A call of an export (or of a driver on it), traced when asked. */
async function call(lab: LabModule, drivers: Drivers, request: Extract<Request, { kind: 'call' }>): Promise<{ value: Plain; trace?: Plain }> {
  const args = request.args.map(fromPlain);
  const run = callOf(lab, drivers, request, args);
  if (!request.trace) return { value: toPlain(await studentCall(run), request.exportName) };
  const { result, trace } = await recording(args, isTensor, () => studentCall(run));
  const value = toPlain(result, request.exportName);
  return { value, trace: trace(result) as unknown as Plain };
}

function callOf(lab: LabModule, drivers: Drivers, request: Extract<Request, { kind: 'call' }>, args: unknown[]): () => unknown {
  if (request.driver === undefined) {
    const fn = exported(lab, request.exportName, 'function') as (...args: unknown[]) => unknown;
    return () => fn(...args);
  }
  const driver = Object.hasOwn(drivers, request.driver) ? drivers[request.driver] : undefined;
  // The lab's own code is missing: the grader's fault, never the student's.
  if (typeof driver !== 'function') throw new Error(`the lab has no driver '${request.driver}'`);
  const value = exported(lab, request.exportName, 'any');
  return () => driver(value, ...args);
}

async function answer(lab: LabModule, request: Exclude<Request, { kind: 'call' }>): Promise<Plain> {
  switch (request.kind) {
    case 'exports':
      return Object.fromEntries(Object.keys(lab).map((name) => [name, typeof lab[name]]));
    case 'graph': {
      const fn = exported(lab, request.exportName, 'function') as (...args: unknown[]) => unknown;
      const args = request.args.map(fromPlain);
      const params: Record<string, Tensor> = {};
      args.forEach((arg, i) => {
        if (isTensor(arg)) {
          arg.requiresGrad = true;
          params[request.argNames[i] ?? `arg${i}`] = arg;
        }
      });
      const result = await studentCall(() => fn(...args));
      const outputs = isTensor(result) ? { [request.exportName]: result } : (result as Record<string, unknown>);
      const tensors = Object.entries(outputs ?? {}).filter((entry): entry is [string, Tensor] => isTensor(entry[1]));
      if (tensors.length === 0) throw new Failure('bad-value', `'${request.exportName}' returned no tensor to draw`);
      // Every output is a root: o1 leads to no other output, yet it is one (a single root showed only its ancestors).
      return toDot(tensors.map(([, t]) => t), { params: { ...params, ...Object.fromEntries(tensors) } });
    }
  }
}

function exported(lab: LabModule, name: string, kind: 'function' | 'any'): unknown {
  const value = lab[name];
  if (value === undefined) throw new Failure('missing-export', `lab.ts does not export '${name}'`);
  if (kind === 'function' && typeof value !== 'function')
    throw new Failure('missing-export', `'${name}' must be an exported function, but it is ${describeKind(value)}`);
  return value;
}

async function studentCall<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new Failure('threw', describeThrown(error), stackOf(error));
  }
}

/** Plain arguments become fresh leaf tensors (requiresGrad false), as the contract promises. */
function fromPlain(value: Plain): unknown {
  if (isPlainTensor(value)) return new Tensor(value.data.slice(), [...value.shape]);
  if (Array.isArray(value)) return value.map(fromPlain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromPlain(v)]));
  return value;
}

/** A tensor the student's code gave back, told as a plain one is: a Float64Array `data` and an array `shape`. */
const isTensor = isPlainTensor as (value: unknown) => value is Tensor;

/** Student results made plain: tensors copied out of the engine, anything unexpected refused. */
function toPlain(value: unknown, where: string, depth = 0): Plain {
  if (depth > 8) throw new Failure('bad-value', `'${where}' returned a value nested too deeply`);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' || value === null) return value;
  if (isTensor(value)) {
    const shape = Array.from(value.shape, Number);
    const data = new Float64Array(value.data);
    if (shape.reduce((a, b) => a * b, 1) !== data.length)
      throw new Failure('bad-value', `'${where}' returned a tensor whose shape [${shape}] does not match its ${data.length} values`);
    return { shape, data };
  }
  if (Array.isArray(value)) return value.map((v) => toPlain(v, where, depth + 1));
  if (isRecord(value)) return Object.fromEntries(fieldsOf(value).map(([k, v]) => [k, toPlain(v, where, depth + 1)]));
  throw new Failure('bad-value', `'${where}' returned ${describeKind(value)}, which is not a tensor, a number or an object of fields`);
}

/** Built-in objects that hold data other than fields: never read as a record. */
const NOT_RECORDS = [Map, Set, WeakMap, WeakSet, Date, RegExp, Promise, Error, ArrayBuffer];

/** Any object of fields: a plain one or an instance of the student's own class (the trusted side checks the fields again). */
const isRecord = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && studentRead(() => !ArrayBuffer.isView(value) && !NOT_RECORDS.some((type) => value instanceof type));

/**
 * A record's fields: its own enumerable ones and the getters its class declares (`get o1()`), read
 * as the student's code would read them. Methods on the class are behaviour, not fields.
 */
function fieldsOf(record: object): Array<[string, unknown]> {
  return studentRead(() => {
    const names = new Set(Object.keys(record));
    for (let proto = Object.getPrototypeOf(record); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto))
      for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) if (d.get && name !== '__proto__') names.add(name);
    return [...names].map((name) => [name, (record as Record<string, unknown>)[name]] as [string, unknown]);
  });
}

/** A getter is the student's code: what it throws is theirs. */
function studentRead<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Failure('threw', describeThrown(error), stackOf(error));
  }
}

function describeKind(value: unknown): string {
  if (value === undefined) return 'nothing (undefined)';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object of type ${safe(() => (value as object).constructor?.name) ?? 'unknown'}`;
  return `a ${typeof value}`;
}

/** Whatever was thrown, as one line a student can read; a hostile value cannot throw out of here. */
function describeThrown(error: unknown): string {
  return (
    safe(() => (error instanceof Error ? `${error.name}: ${error.message}` : `a non-error value was thrown: ${String(error)}`)) ??
    'an unprintable value was thrown'
  );
}

/** The stack of a thrown Error, if it has one as text; a hostile value cannot throw out of here. */
function stackOf(error: unknown): string | undefined {
  return safe(() => (error instanceof Error && typeof error.stack === 'string' ? error.stack : undefined));
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const TRUNCATED = '… (truncated)';
/** Cut to the cap with the mark inside it: the grader's side keeps no more than the cap. */
const truncate = (text: string) => (text.length > MAX_FAILURE_MESSAGE ? `${text.slice(0, MAX_FAILURE_MESSAGE - TRUNCATED.length)}${TRUNCATED}` : text);
