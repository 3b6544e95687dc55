/**
 * Matchers for property checks. Each one returns quietly when the student's value is acceptable and
 * throws a Mismatch otherwise: a sentence for the student, both values, and for a sequence the
 * first step where the student's output departs from the expected one.
 */
import { isPlainTensor, type Plain, type PlainTensor } from '../sandbox/protocol.ts';
import { plainOf, rowOf, sizeOf } from './plain.ts';
import { formatNumber, renderPlain, renderTensor } from './render.ts';

/** Marks a Mismatch whatever copy of this module made it (a lab loaded from elsewhere may bring its own). */
const MISMATCH = Symbol.for('propgrade.mismatch');

export class Mismatch extends Error {
  readonly [MISMATCH] = true;

  constructor(
    message: string,
    readonly expected?: Plain,
    readonly actual?: Plain,
    /** 1-based time step of the first differing row, for sequences. */
    readonly step?: number,
  ) {
    super(message);
    this.name = 'Mismatch';
  }

  /** A wrong answer, as opposed to a fault of the grader: told by a brand, not by identity. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [MISMATCH]?: unknown })[MISMATCH] === true;
  }
}

/** `|actual - expected| <= abs + rel * |expected|`, elementwise. */
export interface Tolerance {
  abs: number;
  rel: number;
}

const DEFAULT_TOLERANCE: Tolerance = { abs: 1e-9, rel: 1e-7 };

export interface CompareOptions {
  /** What the value is, as the student would write it: `forward(input, dim, U, V, W)`, `h1`. */
  what: string;
  tol?: Partial<Tolerance>;
}

const shapeText = (shape: number[]) => `[${shape.join(', ')}]`;

function close(actual: number, expected: number, tol: Partial<Tolerance> = {}): boolean {
  const { abs, rel } = { ...DEFAULT_TOLERANCE, ...tol };
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return actual === expected; // NaN never, infinities only themselves
  return Math.abs(actual - expected) <= abs + rel * Math.abs(expected);
}

function kindOf(value: Plain): string {
  if (isPlainTensor(value)) return `a tensor of shape ${shapeText(value.shape)}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${renderPlain(value)}`;
}

/**
 * The student's value as a tensor shaped like `expected`. A one-element expected value (a scalar)
 * accepts a number or a tensor of shape [] or [1]; every other shape must match exactly.
 */
function asTensorLike(actual: Plain, expected: PlainTensor, what: string): PlainTensor {
  const scalar = sizeOf(expected.shape) === 1 && expected.shape.length <= 1;
  if (scalar && typeof actual === 'number') return plainOf(expected.shape, [actual]);
  if (!isPlainTensor(actual)) {
    const wanted = scalar ? 'a number or a one-element tensor' : `a tensor of shape ${shapeText(expected.shape)}`;
    throw new Mismatch(`${what} should be ${wanted}, but it is ${kindOf(actual)}.`, expected, actual);
  }
  if (scalar && actual.shape.length <= 1 && actual.data.length === 1) return plainOf(expected.shape, actual.data);
  if (actual.shape.length !== expected.shape.length || actual.shape.some((n, i) => n !== expected.shape[i])) {
    const wanted = scalar ? 'shape [] or [1] (or a plain number)' : `shape ${shapeText(expected.shape)}`;
    throw new Mismatch(`${what} should have ${wanted}, but it has shape ${shapeText(actual.shape)}.`, expected, actual);
  }
  return actual;
}

/** An expected value (the grader's, not the student's) as a tensor; anything else is a grader fault. */
function toTensor(value: Plain): PlainTensor {
  if (typeof value === 'number') return plainOf([], [value]);
  if (isPlainTensor(value)) return value;
  throw new Error(`grader: the expected value is not a tensor or a number: ${renderPlain(value)}`);
}

/** The student's tensor (or scalar) equals `expected` within the tolerance; returns it shaped like `expected`. */
export function expectTensorClose(actual: Plain, expected: Plain, options: CompareOptions): PlainTensor {
  const want = toTensor(expected);
  const got = asTensorLike(actual, want, options.what);
  const bad = want.data.findIndex((e, i) => !close(got.data[i]!, e, options.tol));
  if (bad < 0) return got;
  throw new Mismatch(
    `${options.what} is wrong${atIndex(bad, want.shape)}: expected ${formatNumber(want.data[bad]!)}, got ${formatNumber(got.data[bad]!)}.\n` +
      `  expected ${renderTensor(want).replace(/\n/g, '\n  ')}\n  got      ${renderTensor(got).replace(/\n/g, '\n  ')}`,
    want,
    got,
  );
}

/** Where the flat index `flat` lies in a tensor of `shape`, as ` at index [i, j]` (nothing for a scalar). */
function atIndex(flat: number, shape: number[]): string {
  if (shape.length === 0) return '';
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return ` at index ${shapeText(index)}`;
}

/**
 * A sequence of outputs `[N, ...]`: the shapes match and every step is close. The failure names the
 * first step t (1-based, like o_1 .. o_N) where the student departs, with both rows side by side.
 */
export function expectRowsClose(actual: Plain, expectedRows: Plain, options: CompareOptions): PlainTensor {
  const expected = toTensor(expectedRows);
  const got = asTensorLike(actual, expected, options.what);
  const steps = expected.shape[0] ?? 0;
  for (let t = 0; t < steps; t++) {
    const want = rowOf(expected, t);
    const mine = rowOf(got, t);
    if (want.data.every((e, i) => close(mine.data[i]!, e, options.tol))) continue;
    const before = t === 0 ? '' : t === 1 ? ' (step 1 is right)' : ` (steps 1..${t} are right)`;
    throw new Mismatch(
      `${options.what}: the first wrong step is t = ${t + 1} of ${steps}${before}:\n  expected ${renderTensor(want)}\n  got      ${renderTensor(mine)}`,
      want,
      mine,
      t + 1,
    );
  }
  return got;
}

/**
 * At a kink (a relu/clamp input exactly at its boundary) a gradient is not unique: accept any value
 * between the one-sided derivatives, elementwise. `bounds` are tensors (or numbers) shaped like the
 * answer; the interval at each element runs from their minimum to their maximum.
 */
export function expectWithinInterval(actual: Plain, bounds: Plain[], options: CompareOptions): void {
  const sides = bounds.map(toTensor);
  const got = asTensorLike(actual, sides[0]!, options.what);
  const lo = sides[0]!.data.map((_, i) => Math.min(...sides.map((s) => s.data[i]!)));
  const hi = sides[0]!.data.map((_, i) => Math.max(...sides.map((s) => s.data[i]!)));
  const bad = got.data.findIndex((x, i) => !(close(x, lo[i]!, options.tol) || close(x, hi[i]!, options.tol) || (lo[i]! <= x && x <= hi[i]!)));
  if (bad < 0) return;
  const interval = lo[bad] === hi[bad] ? formatNumber(lo[bad]!) : `a value in [${formatNumber(lo[bad]!)}, ${formatNumber(hi[bad]!)}]`;
  throw new Mismatch(
    `${options.what} is wrong${atIndex(bad, sides[0]!.shape)}: expected ${interval}, got ${formatNumber(got.data[bad]!)}.`,
    plainOf(sides[0]!.shape, lo),
    got,
  );
}

/**
 * Two answers of the student to the same arguments, with other calls in between: they must be
 * identical (no state kept between calls).
 */
export function expectSame(again: Plain, first: Plain, what: string): void {
  if (renderExact(again) === renderExact(first)) return;
  throw new Mismatch(
    `${what} gave a different answer when called again with the same arguments (after a call with other arguments): ` +
      `your code keeps state between calls.\n  first  ${renderPlain(first).replace(/\n/g, '\n  ')}\n  then   ${renderPlain(again).replace(/\n/g, '\n  ')}`,
    first,
    again,
  );
}

/** Every digit, for exact comparison of plain values. */
const renderExact = (value: Plain): string =>
  JSON.stringify(value, (_key, v: unknown) => (v instanceof Float64Array ? Array.from(v, String) : typeof v === 'number' ? String(v) : v));

/** The student's value is a tensor of this shape (a scalar shape also accepts a number, [] or [1]). */
export function expectShape(actual: Plain, shape: number[], what: string): PlainTensor {
  return asTensorLike(actual, plainOf(shape, new Float64Array(sizeOf(shape))), what);
}

/** A plain number in [lo, hi]. */
export function expectInRange(actual: number, lo: number, hi: number, what: string): void {
  if (!(lo <= actual && actual <= hi)) {
    throw new Mismatch(`${what} should lie in [${formatNumber(lo)}, ${formatNumber(hi)}], but it is ${formatNumber(actual)}.`, undefined, actual);
  }
}

/** The object returned by the student has these fields. */
export function expectFields(actual: Plain, fields: string[], what: string): Record<string, Plain> {
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual) || isPlainTensor(actual)) {
    throw new Mismatch(`${what} should return an object with fields ${fields.join(', ')}, but it returned ${kindOf(actual)}.`, undefined, actual);
  }
  const missing = fields.filter((f) => !(f in actual));
  if (missing.length > 0) throw new Mismatch(`${what} returned an object without ${missing.join(', ')}.`, undefined, actual);
  return actual as Record<string, Plain>;
}
