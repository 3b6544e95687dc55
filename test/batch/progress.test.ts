import { describe, expect, test } from 'vitest';
import { createProgress } from '../../src/batch/progress.ts';
import type { Entry } from '../../src/batch/summary.ts';

const entry = (name: string, score: number | null, status: Entry['status'] = 'graded', fault?: Entry['fault']): Entry =>
  ({ name, seed: 1, status, ...(fault ? { fault } : {}), score, maxScore: 6, tasks: [], durationMs: 2500 });

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (text: string) => chunks.push(text) > 0 } as unknown as NodeJS.WriteStream };
}

describe('batch progress', () => {
  test('not a terminal (CI): one plain line per finished submission, no carriage return', () => {
    const { chunks, stream: s } = stream(false);
    const progress = createProgress(3, s);
    progress.finished(entry('ada', 5.1666666));
    progress.finished(entry('bob', null, 'not-graded', 'grader-timeout'));
    progress.finished(entry('cy', 0, 'no-submission'));
    progress.end();
    expect(chunks).toEqual(['[1/3] ada: 5.17/6 in 2.5 s\n', '[2/3] bob: not graded (grader-timeout) in 2.5 s\n', '[3/3] cy: 0/6 (no-submission) in 2.5 s\n']);
  });

  test('a terminal: one bar redrawn in place, then a newline', () => {
    const { chunks, stream: s } = stream(true);
    const progress = createProgress(4, s);
    progress.finished(entry('ada', 6));
    progress.end();
    expect(chunks[0]).toBe(`\r\x1b[K[${'.'.repeat(30)}] 0/4  `);
    expect(chunks[1]).toMatch(new RegExp(`^\\r\\x1b\\[K\\[${'#'.repeat(8)}${'\\.'.repeat(22)}\\] 1/4 ~\\dm\\d\\ds left  ada 6/6$`));
    expect(chunks.at(-1)).toBe('\n');
  });
});
