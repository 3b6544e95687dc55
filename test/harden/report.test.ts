/** The score arithmetic on a hand-made kill matrix, and the report's views. */
import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { buildReport, headline, tally, toHtml, toMarkdown, writeHardenReport, type MutantResult, type Status } from '../../src/harden/report.ts';
import { tempDir } from '../helpers/temp.ts';

const mutant = (id: string, status: Status, exampleCaught: boolean, source: 'domain' | 'stryker' = 'domain'): MutantResult => ({
  id,
  operator: id.split('#')[0]!,
  title: `mistake <${id}>`,
  source,
  tasks: ['bigram'],
  diff: `--- a/lab.ts\n+++ b/lab.ts\n@@ -1,1 +1,1 @@\n-a\n+<b id="${id}">\n`,
  status,
  killedBy: status === 'killed' ? [{ task: 'bigram', property: 'matches-reference', runs: 3, example: exampleCaught }] : [],
  exampleCaught,
  ...(status === 'equivalent' || status === 'survived' ? { equivalence: { equivalent: status === 'equivalent', cases: 9, reason: `searched <${id}>` } } : {}),
  durationMs: 1,
});

// 4 counted mutants: 3 killed (2 of them by the fixed example too), 1 survived; 1 equivalent and 1 error not counted.
const results = [
  mutant('op#1', 'killed', true),
  mutant('op#2', 'killed', false),
  mutant('op#10', 'killed', true, 'stryker'),
  mutant('op#3', 'survived', false, 'stryker'),
  mutant('op#4', 'equivalent', false),
  mutant('op#5', 'error', false),
];
const run = { seed: 1, runs: null, startedAt: '2026-11-25T00:00:00.000Z', durationMs: 1000, timings: { mutantsMs: 100, gradingMs: 900 }, workers: 2, stryker: { status: 'skipped' as const } };

test('score = killed / (killed + survived) over non-equivalent mutants; the baseline counts the same mutants', () => {
  const report = buildReport(results, run);
  expect([report.score, report.killed, report.survived, report.equivalent, report.errors]).toEqual([3 / 4, 3, 1, 1, 1]);
  expect(report.baseline).toEqual({ mutants: 4, killed: 2, survived: 2, score: 2 / 4 });
  expect(report.bySource.domain).toEqual({ mutants: 2, killed: 2, survived: 0, score: 1, equivalent: 1 });
  expect(report.bySource.stryker).toEqual({ mutants: 2, killed: 1, survived: 1, score: 1 / 2, equivalent: 0 });
  expect(tally([mutant('x#1', 'equivalent', false)], () => true)).toEqual({ mutants: 0, killed: 0, survived: 0, score: null });
  expect(headline(report)).toBe(
    "property specs kill 3 of 4 mutants (75.0%); the lab's fixed examples alone kill 2 (50.0%); 1 equivalent not counted; 1 not graded (grader errors)",
  );
});

test('survivors come first, then errors, killed and equivalent; ids in numeric order', () => {
  expect(buildReport(results, run).mutants.map((m) => m.id)).toEqual(['op#3', 'op#5', 'op#1', 'op#2', 'op#10', 'op#4']);
});

test('Markdown lists survivors with their diff; HTML escapes everything and loads nothing', async () => {
  const report = buildReport(results, run);
  const md = toMarkdown(report);
  expect(md.indexOf('## Survivors (2)')).toBeLessThan(md.indexOf('### op#3'));
  expect(md).toContain('```diff\n--- a/lab.ts');
  expect(md).toContain('1.0 s (making the mutants 0.1 s, grading them and searching the unkilled ones on 2 workers 0.9 s)');
  const html = toHtml(report);
  expect(html).not.toContain('<b id=');
  expect(html).toContain('mistake &lt;op#3&gt;');
  expect(html).not.toMatch(/<script|src=|href=/);

  const files = await writeHardenReport(report, await tempDir('harden-report'));
  expect(JSON.parse(await readFile(files.json, 'utf8')).score).toBe(0.75);
});

test('the kill matrix by property counts kills, the most cases a kill took, and the mutants only that property kills', () => {
  const a = { ...mutant('a#1', 'killed', true), killedBy: [{ task: 'bigram', property: 'notebook-example', runs: 1, example: true }, { task: 'bigram', property: 'concatenation', runs: 4, example: false }] };
  const b = { ...mutant('b#1', 'killed', false), killedBy: [{ task: 'bigram', property: 'concatenation', runs: 9, example: false }] };
  expect(buildReport([a, b], run).byProperty).toEqual([
    { task: 'bigram', property: 'concatenation', example: false, killed: 2, maxRuns: 9, only: ['b#1'] },
    { task: 'bigram', property: 'notebook-example', example: true, killed: 1, maxRuns: 1, only: [] },
  ]);
});
