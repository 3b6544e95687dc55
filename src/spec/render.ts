/**
 * Plain values (what crosses a LabClient) rendered for people: tensors with their shapes, numbers
 * short but exact enough to show a difference. A tensor small enough to read (up to 256 values) is
 * shown in full; a longer one is elided in the middle. A counterexample is shown whole, every value
 * exact, whenever that text is short enough to copy (`renderCase`).
 */
import { isPlainTensor, type Plain, type PlainTensor } from '../sandbox/protocol.ts';
import { sizeOf } from './plain.ts';

/** Enough digits to tell apart two values that differ beyond the default tolerance. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(10)));
}

/** Rows (or elements) shown at each end of a long dimension. */
const EDGE = 4;

/** A tensor of at most this many values is printed whole. */
export const FULL_SIZE = 256;

/**
 * A counterexample whose whole text is at most this many characters (about 50 lines) is printed
 * whole, so that it can be copied into a test; above it, its large tensors are elided as usual.
 */
export const COPYABLE_LENGTH = 4_000;

interface RenderOptions {
  /** Every value, exactly (the shortest text that reads back as the same double), and no tensor elided. */
  whole?: boolean;
}

function elided<T>(items: T[], show: (item: T) => string, full: boolean): string[] {
  if (full || items.length <= 2 * EDGE + 1) return items.map(show);
  return [...items.slice(0, EDGE).map(show), '...', ...items.slice(-EDGE).map(show)];
}

function nested(data: Float64Array, shape: number[], offset: number, full: boolean, number: (x: number) => string): string {
  if (shape.length === 0) return number(data[offset]!);
  const [n, ...rest] = shape;
  const stride = sizeOf(rest);
  const parts = elided([...Array(n!).keys()], (i) => nested(data, rest, offset + i * stride, full, number), full);
  return `[${parts.join(rest.length > 0 ? ',\n' : ', ')}]`;
}

/** `tensor[2, 3]` followed by its values as nested rows. */
export function renderTensor(t: PlainTensor, { whole = false }: RenderOptions = {}): string {
  const values = nested(t.data, t.shape, 0, whole || t.data.length <= FULL_SIZE, whole ? String : formatNumber).replace(/\n/g, '\n  ');
  return `tensor[${t.shape.join(', ')}] ${values}`;
}

export function renderPlain(value: Plain, options: RenderOptions = {}): string {
  if (typeof value === 'number') return options.whole ? String(value) : formatNumber(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (isPlainTensor(value)) return renderTensor(value, options);
  if (Array.isArray(value)) return `[${value.map((v) => renderPlain(v, options)).join(', ')}]`;
  const fields = Object.entries(value).map(([key, v]) => `${key}: ${renderPlain(v, options).replace(/\n/g, '\n  ')}`);
  return fields.some((f) => f.includes('\n')) || fields.length > 3 ? `{\n  ${fields.join(',\n  ')}\n}` : `{ ${fields.join(', ')} }`;
}

/** A counterexample: whole and exact when that is at most `max` characters (default COPYABLE_LENGTH), else as `renderPlain` shows any value. */
export function renderCase(value: Plain, max = COPYABLE_LENGTH): string {
  const whole = renderPlain(value, { whole: true });
  return whole.length <= max ? whole : renderPlain(value);
}
