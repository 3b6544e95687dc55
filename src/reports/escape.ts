/**
 * Plain text (src/model/text.ts) escaped for the format it lands in. Markdown gets student text only
 * as code (a span on one line, or a fence it cannot close), where no renderer makes a heading, a
 * link, an image or HTML of it; CSV gets cells no spreadsheet runs as a formula.
 */
import { oneLine, plainText } from '../model/text.ts';

/** A backtick run longer than any in `text`, so the text cannot end the code it sits in. */
const ticks = (text: string, min: number) => '`'.repeat(Math.max(min - 1, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);

/** One line of inline code; the spaces inside are dropped by renderers (they let a backtick start or end the text). */
export function mdCode(text: string): string {
  const line = oneLine(text);
  const fence = ticks(line, 1);
  return `${fence} ${line} ${fence}`;
}

/** Inline code inside a GFM table cell, where a `|` ends the cell even inside code unless escaped. */
export const mdCell = (text: string): string => mdCode(text).replace(/\|/g, '\\|');

/** A fenced block holding `text` verbatim, its fence longer than any backtick run inside. */
export function mdFence(text: string, info = 'text'): string {
  const body = plainText(text);
  const fence = ticks(body, 3);
  return `${fence}${info}\n${body}\n${fence}`;
}

/** A spreadsheet starts a formula at = + - @ (also full-width ones), after a tab or CR, and after leading spaces. */
const FORMULA = /^[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/;

/** One CSV cell: numbers as they are; text plain, a formula defused with a leading `'`, quoted when it must be. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const plain = plainText(value);
  const text = FORMULA.test(plain) ? `'${plain}` : plain;
  return /[",\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
