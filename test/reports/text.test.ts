/**
 * The one sanitizer (src/model/text.ts), each format's escaping (src/reports/escape.ts) and the
 * admission of a report (src/model/admit.ts), as properties over any text, with the characters that
 * matter drawn often.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createProgress } from '../../src/batch/progress.ts';
import type { Entry } from '../../src/batch/summary.ts';
import { admitReport, admitValue, LIMITS } from '../../src/model/admit.ts';
import { oneLine, plainText, visibleSource } from '../../src/model/text.ts';
import { csvCell, mdCell, mdCode, mdFence } from '../../src/reports/escape.ts';
import { sampleReport } from './sample.ts';

const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const special = fc.constantFrom('\x1b', '\x1b[', '\x1b]0;', '\x07', '\x9b', '\x9d', '\r', '\n', '\t', '\x01', '\x02', '\u202e', '\u2066', '\ud800', '\udc00', '`', '|', '=', '+', '-', '@', '"', ',', ' ', '<', '#', '[', '](');
/** Text in which control characters, escape sequences, backticks and formula starters are common. */
const hostileText = fc.array(fc.oneof(special, fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ maxLength: 6 })), { maxLength: 30 }).map((parts) => parts.join(''));

describe('plainText', () => {
  test('leaves no control, escape, bidi or lone surrogate, breaks lines with \\n alone, and is idempotent', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const plain = plainText(text);
        expect(plain).not.toMatch(UNSAFE);
        expect(plainText(plain)).toBe(plain);
        expect(oneLine(text)).not.toMatch(/[\n\t]/);
      }),
    );
  });

  test('drops whole sequences, keeps the text around them, and turns a lone \\r into a line break', () => {
    expect(plainText('a\x1b]0;title\x07b\x1b[2J\x1b[31mc\x9b2Kd\u202ee\r# f\r\ng')).toBe('abcde\n# f\ng');
    expect(oneLine('ada\r\n\tbob')).toBe('ada bob');
  });

  test('visibleSource keeps every line and column: one U+FFFD for each character it hides', () => {
    fc.assert(
      fc.property(hostileText, (source) => {
        const shown = visibleSource(source);
        expect(shown.length).toBe(source.length);
        expect(shown.split(/\r\n|[\r\n]/).length).toBe(source.split(/\r\n|[\r\n]/).length);
        expect(shown).not.toMatch(/[\x01\x02\x1b\u202e]/);
      }),
    );
  });
});

describe('Markdown', () => {
  test('mdCode is one code span that the text cannot close; mdCell escapes every pipe', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const code = mdCode(text);
        const fence = /^`+/.exec(code)![0];
        expect(code).not.toMatch(/\n/);
        expect(code.endsWith(` ${fence}`)).toBe(true);
        // Inside, no run of backticks as long as the fence.
        for (const run of code.slice(fence.length, -fence.length).match(/`+/g) ?? []) expect(run.length).not.toBe(fence.length);
        expect(mdCell(text)).not.toMatch(/(?<!\\)\|/);
      }),
    );
  });

  test('mdFence: no line inside is a fence that closes it', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const lines = mdFence(text).split('\n');
        const fence = /^`+/.exec(lines[0]!)![0];
        expect(lines.at(-1)).toBe(fence);
        for (const line of lines.slice(1, -1)) expect(line.startsWith(fence)).toBe(false);
      }),
    );
  });
});

describe('csvCell', () => {
  test('a cell a spreadsheet would start a formula with gets a leading quote, wherever the formula hides', () => {
    for (const value of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '  =1', '\u3000=1', '\uff1d1', '\x01=1']) {
      const cell = csvCell(value);
      expect(cell.replace(/^"/, ''), JSON.stringify(value)).toMatch(/^'/);
    }
    expect(csvCell('ada')).toBe('ada');
    expect(csvCell('Doe, Jane')).toBe('"Doe, Jane"');
    expect(csvCell(-1)).toBe('-1'); // a number is a number
  });

  test('any text: one well-formed cell, plain, quotes doubled', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const cell = csvCell(text);
        expect(cell).not.toMatch(UNSAFE);
        if (cell.startsWith('"')) expect(cell.slice(1, -1)).not.toMatch(/(?<!")"(?!")/);
        else expect(cell).not.toMatch(/[",\n]/);
      }),
    );
  });
});

describe('admitReport', () => {
  test('every string plain and bounded, values bounded, and admitting twice changes nothing', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 0, max: 3 * LIMITS.value }), (text, extra) => {
        const report = sampleReport();
        report.submission = text;
        report.studentOutput = text + 'y'.repeat(extra);
        report.tasks[1]!.properties[1]!.message = text.repeat(50) + 'x'.repeat(extra);
        report.tasks[1]!.properties[1]!.divergence!.actual = { [text]: text, long: 'z'.repeat(extra), many: Array.from({ length: 20 }, () => text) };
        const admitted = admitReport(report);
        expect(admitReport(admitted)).toEqual(admitted);
        const p = admitted.tasks[1]!.properties[1]!;
        expect(p.message.length).toBeLessThanOrEqual(LIMITS.text);
        expect(JSON.stringify(p.divergence!.actual).length).toBeLessThanOrEqual(LIMITS.value + 2);
        for (const s of [admitted.submission, admitted.studentOutput, p.message, JSON.stringify(p.divergence)]) expect(s).not.toMatch(UNSAFE);
      }),
      { numRuns: 40 },
    );
  });

  test('a value within bounds is kept as it is, tensors included', () => {
    const value = { h1: { shape: [2], data: Float64Array.of(1, NaN) }, note: 'fine' };
    expect(admitValue(value)).toEqual(value);
  });
});

test('batch progress: a folder name with escape codes prints as plain text, on a terminal and off it', () => {
  const entry = { name: '\x1b]0;owned\x07\x1b[2J\x1b[Hada\r6/6', seed: 1, status: 'graded', score: 1, maxScore: 6, tasks: [], durationMs: 10 } as Entry;
  for (const isTTY of [false, true]) {
    const chunks: string[] = [];
    const progress = createProgress(1, { isTTY, columns: 100, write: (text: string) => chunks.push(text) > 0 } as unknown as NodeJS.WriteStream);
    progress.finished(entry);
    progress.end();
    const line = chunks.find((chunk) => chunk.includes('ada'))!;
    expect(line).toContain('ada 6/6');
    // The bar's own redraw (\r\x1b[K) is the one sequence a terminal line may start with.
    expect(line.replace(/^\r\x1b\[K/, '')).not.toMatch(UNSAFE);
  }
});
