/**
 * Text that came from a submission (messages, class names, values, folder names, its output) made
 * plain before any view shows it: no escape sequence can rewrite a terminal, no control or bidi
 * character can hide or reorder what a reader sees, and every line break is a `\n` (a lone `\r`
 * would let text overwrite its own line, or start a Markdown line its carrier did not). Each view
 * then escapes the plain text for its own format (src/reports/escape.ts).
 */

/** ESC and CSI sequences (7-bit and 8-bit forms): colours, cursor moves, titles (OSC), device strings. */
const ESCAPE_SEQUENCE =
  /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?/g;

/** What is left to drop once sequences are gone: C0 but tab and newline, DEL, C1, bidi controls, BOM. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const LINE_BREAK = /\r\n?|[\x0b\x0c\x85\u2028\u2029]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Plain text: sequences and control characters dropped, every line break a `\n`, tabs kept. */
export function plainText(text: string): string {
  return text.replace(LINE_BREAK, '\n').replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** Plain text on one line: for a name, a cell, a progress line. */
export const oneLine = (text: string): string => plainText(text).replace(/[\t\n]+/g, ' ');

/**
 * Source code as a page may show it: every character `plainText` drops becomes U+FFFD, one for one,
 * so lines and columns stay those of the file (a coverage report marks code by line and column).
 */
export const visibleSource = (source: string): string =>
  source.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');

/** Cuts `text` to at most `max` characters, saying how much was left out. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = `\n... (${text.length - max} more characters cut)`;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}
