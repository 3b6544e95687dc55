/**
 * What staff and students read, against the hostile corpus's report attacks (fixtures/hostile:
 * terminal-escapes, markup-carriers, huge-strings), graded by the command line as a course runs it.
 * The terminal, results.json, junit.xml, report.md and summary.csv carry no escape sequence, no
 * control or bidi character and no Markdown of the student's outside code; 8 M-character strings
 * leave bounded reports. The browser's side (nothing injected runs) is test/html/hostile-pages.test.ts.
 */
import { cp, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LIMITS } from '../../src/model/admit.ts';
import { writeReports } from '../../src/reports/write.ts';
import { propgrade } from '../helpers/cli.ts';
import { gradescopeProblems } from '../helpers/gradescope.ts';
import { junitProblems } from '../helpers/junit.ts';
import { RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';
import { sampleReport } from './sample.ts';

const HOSTILE = join(import.meta.dirname, '..', '..', 'fixtures', 'hostile');
/** What no reader may receive from a submission: ESC, C0 but tab and newline, DEL, C1, bidi controls. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const REPORTS = ['results.json', 'junit.xml', 'report.md', 'report.json', 'report.html', 'answers.md'];

const expected = async (name: string) => JSON.parse(await readFile(join(HOSTILE, name, 'expected.json'), 'utf8')) as { tasks: Record<string, 'pass' | 'fail'> };
const read = (dir: string, file: string) => readFile(join(dir, file), 'utf8');

/** Each task's outcome in results.json, and the score: only the tasks it earned. */
async function outcomes(out: string, { earnedOnly = true } = {}) {
  const results = JSON.parse(await read(out, 'results.json'));
  expect(gradescopeProblems(results)).toEqual([]);
  const tasks: Record<string, 'pass' | 'fail'> = {};
  for (const t of results.tests) tasks[t.extra_data.task] = tasks[t.extra_data.task] === 'fail' || t.status === 'failed' ? 'fail' : 'pass';
  // Points only for the tasks passed: whatever the attack did, it earned nothing else.
  const earned = results.tests.filter((t: { extra_data: { task: string } }) => tasks[t.extra_data.task] === 'pass').reduce((sum: number, t: { score: number }) => sum + t.score, 0);
  if (earnedOnly) expect(results.score).toBeCloseTo(earned, 6);
  return { results, tasks };
}

/**
 * The student-facing Markdown: a line per task (its score, then why it broke as inline code), then
 * the warnings as inline code. Anything else, such as a heading or a link, fails.
 */
function expectMarkdownShape(output: string) {
  // Inline code in a fence of n backticks; each use numbers its own group.
  const code = (group: number) => `(\`+) (?:(?!\\${group}).)* \\${group}`;
  const line = new RegExp(`^(?:- \\*\\*\\w+\\*\\*: [\\d.]+ / [\\d.]+(?: — ${code(1)})?|- ${code(2)}|Warnings \\(not scored\\):|)$`);
  for (const text of output.split('\n')) expect(text).toMatch(line);
}

describe('terminal escapes in a class name, messages and output', () => {
  test('grade and check print plain text; every report is plain; the score is only what was earned', async () => {
    const out = await tempDir('hostile-terminal');
    const lab = join(HOSTILE, 'terminal-escapes');
    const graded = await propgrade(['grade', lab, '--out', out, '--seed', '1', '--runs', '5']);
    expect(graded.code).toBe(0);
    expect(graded.stdout).not.toMatch(UNSAFE);
    expect(graded.stderr).not.toMatch(UNSAFE);
    const { results, tasks } = await outcomes(out);
    expect(tasks).toEqual((await expected('terminal-escapes')).tasks);
    for (const file of REPORTS) expect(await read(out, file), file).not.toMatch(UNSAFE);
    // The class name did reach the reports, as plain text (the title sequence gone whole): the attack was met, not missed.
    expect(JSON.stringify(results.tests)).toContain('an object of type   total  6 / 66 / 6\\n  total  6 / 6,');
    const checked = await propgrade(['check', lab, '--seed', '1', '--runs', '5']);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('total  6 / 6');
    expect(checked.stdout + checked.stderr).not.toMatch(UNSAFE);
  }, 300_000);

  test('batch: folder names with escapes and formulas give plain progress lines and a defused summary.csv', async () => {
    const classDir = await tempDir('hostile-class');
    const names = ['\x1b]0;owned\x07\x1b[2J\x1b[Hada', '\t=HYPERLINK("x")', '\r+1+1', ' @SUM(A1)', '-2+3'];
    for (const name of names) await cp(join(HOSTILE, 'terminal-escapes'), join(classDir, name), { recursive: true });
    const out = await tempDir('hostile-class-out');
    const run = await propgrade(['batch', classDir, '--out', out, '--seed', '3', '--runs', '2', '--workers', '2']);
    expect(run.code).toBe(0);
    const progress = run.stderr.split('\n').filter((line) => /^\[\d+\/5\]/.test(line));
    expect(progress).toHaveLength(5);
    for (const line of progress) expect(line).not.toMatch(UNSAFE);
    expect(progress.join('\n')).toContain('ada: 3/6');
    const csv = await read(out, 'summary.csv');
    expect(csv).not.toMatch(UNSAFE);
    // Each name's cell starts with the defusing quote (inside CSV quotes where the cell needs them).
    const firstCells = csv.trim().split('\n').slice(1).map((row) => /^("(?:[^"]|"")*"|[^,]*)/.exec(row)![1]!.replace(/^"/, ''));
    expect(firstCells).toHaveLength(5);
    for (const cell of firstCells.filter((c) => !c.endsWith('ada'))) expect(cell).toMatch(/^'/);
    expect(firstCells.filter((c) => c.endsWith('ada'))).toEqual(['ada']);
  }, 300_000);
});

describe('markup in every carrier', () => {
  test("results.json's Markdown holds the student's text only as code; no line of it is the student's", async () => {
    const out = await tempDir('hostile-markup');
    const graded = await propgrade(['grade', join(HOSTILE, 'markup-carriers'), '--out', out, '--seed', '1', '--runs', '5']);
    expect(graded.code).toBe(0);
    const { results, tasks } = await outcomes(out);
    expect(tasks).toEqual((await expected('markup-carriers')).tasks);
    expect(results.output_format).toBe('md');
    expect(results.test_output_format).toBe('text');
    expectMarkdownShape(results.output);
    // A break message reaches the summary, and the summary is still only task lines.
    expect(results.output).toContain('— ` ');
    const text = await read(out, 'results.json');
    expect(text).not.toMatch(UNSAFE);
    expect(text).toContain('All tasks passed: 6 / 6'); // the carrier arrived: as text, never a heading
    expect(junitProblems(await read(out, 'junit.xml'))).toBe('');
    // report.md: the payload never opens a line (a heading, a list, HTML) outside a fence or code span.
    const md = await read(out, 'report.md');
    let fence: string | undefined;
    for (const line of md.split('\n')) {
      const marker = /^(`{3,})/.exec(line)?.[1];
      if (fence === undefined && marker) fence = marker;
      else if (fence !== undefined && line === fence) fence = undefined;
      else if (fence === undefined) expect(line).not.toMatch(/^#.*All tasks passed|^<(?!\/?details|summary)|^\[open your grade\]/);
    }
  }, 300_000);
});

describe('strings of 8 M characters', () => {
  test('every export returning them: graded, and every report written and bounded', async () => {
    const out = await tempDir('hostile-huge');
    const graded = await propgrade(['grade', join(HOSTILE, 'huge-strings'), '--out', out, '--seed', '1', '--runs', '3']);
    expect(graded.code).toBe(0);
    // Not earnedOnly: the specs' same-answer-after-other-calls properties pass a constant answer of any
    // type (a spec matter, reported); every task still fails.
    const { tasks } = await outcomes(out, { earnedOnly: false });
    expect(tasks).toEqual((await expected('huge-strings')).tasks);
    expect(junitProblems(await read(out, 'junit.xml'))).toBe('');
    const sizes = Object.fromEntries(await Promise.all(REPORTS.map(async (file) => [file, (await stat(join(out, file))).size])));
    // The lab's properties times what one may hold: message, detail, and three values, each bounded.
    const properties = RNN.tasks.reduce((n, t) => n + t.properties.length, 0) + 30; // with the hidden ones
    const bound = properties * (2 * LIMITS.text + 3 * LIMITS.value) + LIMITS.output;
    for (const [file, size] of Object.entries(sizes)) expect(size, file).toBeLessThan(bound);
    expect(sizes['results.json']).toBeLessThan(100_000);
    expect(await read(out, 'report.md')).toContain('more characters cut');
  }, 300_000);

  test('a report model holding them in every string: written, bounded, each cut saying so', async () => {
    const huge = 'x'.repeat(8_000_000);
    const report = sampleReport();
    report.submission = huge;
    report.studentOutput = huge;
    report.graderFaults = [huge];
    for (const task of report.tasks) {
      task.graderBugs = [huge];
      if (task.broken) task.broken.message = huge;
      for (const p of task.properties) {
        Object.assign(p, { title: huge, message: huge, staff: { seed: 1, path: huge, replay: huge, detail: huge, counterexample: { [huge]: huge, list: [huge, huge] } } });
        p.divergence = { step: 1, expected: huge, actual: Array.from({ length: 50 }, () => huge.slice(0, 7_000)) };
      }
    }
    const out = await tempDir('huge-model');
    const files = await writeReports(report, out);
    const fields = report.tasks.reduce((n, t) => n + 2 + t.properties.length * 8, 3);
    for (const file of [files.results, files.junit, files.markdown, files.json, files.html]) {
      const size = (await stat(file)).size;
      expect(size, file).toBeLessThan(fields * LIMITS.value);
    }
    const json = JSON.parse(await readFile(files.json, 'utf8'));
    expect(json.tasks[0].properties[0].message).toMatch(/\.\.\. \(\d+ more characters cut\)$/);
    expect(json.tasks[0].properties[0].message.length).toBeLessThanOrEqual(LIMITS.text);
    // A value too big as a whole becomes the start of its JSON, cut.
    expect(typeof json.tasks[0].properties[0].divergence.actual).toBe('string');
    expect(junitProblems(await readFile(files.junit, 'utf8'))).toBe('');
  }, 120_000);
});
