/**
 * The trusted side's check of everything a student's process sends back. The harness already
 * makes values plain inside the child, but the child runs the student's code, so nothing it
 * sends is believed: each value is rebuilt here from its own data properties, and anything
 * but numbers, strings, booleans, null, arrays, plain objects and `{ shape, data: Float64Array }`
 * is refused. The rebuilt copy shares nothing with what came in.
 */
import { types } from 'node:util';
import { MAX_FAILURE_MESSAGE, StudentError, type Plain, type Response, type StudentFailureKind } from './protocol.ts';

const MAX_DEPTH = 16;

const FAILURE_KINDS: Record<StudentFailureKind, true> = {
  'missing-export': true,
  threw: true,
  'bad-value': true,
  timeout: true,
  crashed: true,
  protocol: true,
};

/** A fresh plain copy of `value`, or StudentError('bad-value') saying what was refused and where. */
export function plainCopy(value: unknown, path = 'the result', depth = 0): Plain {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return null;
      break;
    default:
      throw refused(path, value);
  }
  if (depth >= MAX_DEPTH) throw new StudentError('bad-value', `${path} is nested more than ${MAX_DEPTH} levels deep`);
  if (types.isProxy(value)) throw refused(path, value);
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) return arrayCopy(value as unknown[], path, depth);
  if (proto === Object.prototype) return objectCopy(value, path, depth);
  throw refused(path, value);
}

function arrayCopy(array: unknown[], path: string, depth: number): Plain[] {
  // Every index and `length`, nothing else: no holes (a sparse array can claim billions of items), no extras.
  if (Reflect.ownKeys(array).length !== array.length + 1) throw new StudentError('bad-value', `${path} is an array with holes or extra properties`);
  return Array.from({ length: array.length }, (_, i) => plainCopy(ownData(array, String(i), path), `${path}[${i}]`, depth + 1));
}

function objectCopy(object: object, path: string, depth: number): Plain {
  const copy: Record<string, Plain> = {};
  for (const key of Reflect.ownKeys(object)) {
    if (typeof key === 'symbol' || key === '__proto__') throw new StudentError('bad-value', `${path} has a forbidden key ${String(key)}`);
    const value = ownData(object, key, path);
    // A Float64Array only as the data of a tensor; copied by its internal length, not its (overridable) `length`.
    copy[key] = key === 'data' && isFloat64Array(value) ? (new Float64Array(value) as unknown as Plain) : plainCopy(value, `${path}.${key}`, depth + 1);
  }
  if (copy.data instanceof Float64Array) checkTensor(copy, path);
  return copy;
}

const isFloat64Array = (value: unknown): value is Float64Array =>
  typeof value === 'object' && value !== null && !types.isProxy(value) && Object.getPrototypeOf(value) === Float64Array.prototype;

/** The value of an own data property; a getter or setter is refused, never run. */
function ownData(object: object, key: string | symbol, path: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (descriptor === undefined) throw new StudentError('bad-value', `${path} is an array with holes or extra properties`);
  if (!('value' in descriptor)) throw new StudentError('bad-value', `${path}.${String(key)} is a getter or setter, not plain data`);
  return descriptor.value;
}

function checkTensor(tensor: Record<string, Plain>, path: string): void {
  const shape = tensor.shape;
  const data = tensor.data as unknown as Float64Array;
  const keys = Object.keys(tensor);
  if (keys.length !== 2 || !Array.isArray(shape)) throw new StudentError('bad-value', `${path} is a tensor that is not exactly { shape, data }`);
  if (!shape.every((n) => Number.isSafeInteger(n) && (n as number) >= 0))
    throw new StudentError('bad-value', `${path} has shape [${shape}], not a list of sizes`);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new StudentError('bad-value', `${path} has shape [${shape}] but ${data.length} values`);
}

function refused(path: string, value: unknown): StudentError {
  return new StudentError('bad-value', `${path} is ${describe(value)}, which is not plain data (numbers, arrays, plain objects, tensors)`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value !== 'object' && typeof value !== 'function') return `a ${typeof value}`;
  if (types.isProxy(value)) return 'a Proxy';
  if (typeof value === 'function') return 'a function';
  const proto = Object.getPrototypeOf(value);
  const name = proto === null ? undefined : Object.getOwnPropertyDescriptor(proto, 'constructor')?.value?.name;
  return typeof name === 'string' ? `a ${name}` : 'an object of unknown type';
}

/**
 * Checks a deserialized message as the answer to request `id`, and copies it. Throws
 * StudentError: `protocol` for a broken envelope, `bad-value` for a value that is not plain data.
 * The harness never sends either, so both mean the student's code went around it.
 */
export function checkResponse(message: unknown, id: number): Response {
  if (typeof message !== 'object' || message === null || types.isProxy(message) || Object.getPrototypeOf(message) !== Object.prototype)
    throw new StudentError('protocol', 'the sandbox sent something that is not a response');
  const field = (key: string) => Object.getOwnPropertyDescriptor(message, key)?.value as unknown;
  if (field('id') !== id) throw new StudentError('protocol', `the sandbox answered request ${String(field('id'))} while ${id} was asked`);
  if (field('ok') === true) {
    const trace = field('trace');
    return { id, ok: true, value: plainCopy(field('value')), ...(trace === undefined ? {} : { trace: plainCopy(trace, 'the trace') }) };
  }
  const failure = field('failure');
  const kind = typeof failure === 'object' && failure !== null ? Object.getOwnPropertyDescriptor(failure, 'kind')?.value : undefined;
  const text = typeof failure === 'object' && failure !== null ? Object.getOwnPropertyDescriptor(failure, 'message')?.value : undefined;
  if (field('ok') !== false || typeof kind !== 'string' || !Object.hasOwn(FAILURE_KINDS, kind) || typeof text !== 'string')
    throw new StudentError('protocol', 'the sandbox sent a malformed response');
  const stack = Object.getOwnPropertyDescriptor(failure, 'stack')?.value;
  const stackField = typeof stack === 'string' ? { stack: stack.slice(0, MAX_FAILURE_MESSAGE) } : {};
  return { id, ok: false, failure: { kind: kind as StudentFailureKind, message: text.slice(0, MAX_FAILURE_MESSAGE), ...stackField } };
}
