/** What several tasks ask of a tensor the student returns, beyond matching an expected one. */
import { Mismatch, type PlainTensor } from 'propgrade/spec';

/**
 * Every entry is a finite number. The laws the public properties check compare the student's answers
 * with each other, where NaN against NaN would read as "expected NaN, got NaN": said here instead.
 */
export function expectFinite(t: PlainTensor, what: string): PlainTensor {
  const bad = t.data.findIndex((x) => !Number.isFinite(x));
  if (bad < 0) return t;
  const width = t.shape.length === 2 ? t.shape[1]! : t.data.length;
  const where = t.shape.length === 2 ? `[${Math.floor(bad / width)}, ${bad % width}]` : `[${bad}]`;
  throw new Mismatch(
    `${what} holds ${t.data[bad]} at index ${where}, from finite inputs. An exp that overflows (e^710 is Infinity), ` +
      'a 0 / 0 after every exp of a row underflowed, or 0 * Infinity in a mask gives that: subtract each row\'s largest allowed score before exp.',
    undefined,
    t,
  );
}
