import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RUN_SUITE, toJUnit } from '../../src/reports/junit.ts';
import { toMarkdown } from '../../src/reports/markdown.ts';
import { toGradescope } from '../../src/reports/results.ts';
import { writeReports } from '../../src/reports/write.ts';
import { tempDir } from '../helpers/temp.ts';
import { gradescopeProblems } from '../helpers/gradescope.ts';
import { junitProblems } from '../helpers/junit.ts';
import { sampleReport } from './sample.ts';

describe('results.json', () => {
  const results = toGradescope(sampleReport());

  test('follows the Gradescope schema, one entry per property', () => {
    expect(gradescopeProblems(results)).toEqual([]);
    expect(results.tests.map((t) => `${t.extra_data.task}/${t.extra_data.property}`)).toEqual([
      'forward_by_hand/matches-example',
      'forward_function/matches-example',
      'forward_function/random-inputs',
      'general_bigram_RNN/random-tables',
      'automatic_diff/matches-torch',
    ]);
    // 10 + 5 + 0 + 0 + 0, worked out from the sample.
    expect(results.score).toBe(15);
    expect(results.execution_time).toBe(2.345);
  });

  test('a hidden property shows a generic message; its case goes to extra_data only', () => {
    const hidden = results.tests.find((t) => t.extra_data.property === 'random-tables')!;
    expect(hidden.visibility).toBe('after_published');
    expect(hidden.output).not.toContain('3:1');
    expect(hidden.extra_data).toMatchObject({ seed: 42, path: '3:1', counterexample: { shape: [1, 2], data: [0, 1] } });
    expect(hidden.extra_data.replay).toContain('--path 3:1');
  });

  test('a public failure keeps its case in the output, not in extra_data', () => {
    const publicFailure = results.tests.find((t) => t.extra_data.property === 'random-inputs')!;
    expect(publicFailure.visibility).toBe('visible');
    expect(publicFailure.output).toContain('departs at t = 2');
    expect(Object.keys(publicFailure.extra_data).sort()).toEqual(['property', 'task']);
  });

  test('a broken task scores 0 and says why; warnings reach the summary', () => {
    const broken = results.tests.find((t) => t.extra_data.task === 'automatic_diff')!;
    expect(broken).toMatchObject({ score: 0, max_score: 10, status: 'failed' });
    expect(broken.output).toContain('lab.ts:41:3 no-autograd');
    expect(results.output).toContain('lab.ts:7:3 no-console (warn): remove console.log');
    expect(results.extra_data).toMatchObject({ seed: 1234, seed_source: 'flag', sandbox_layers: ['permission-model', 'frozen-intrinsics'] });
  });

  test('non-finite numbers survive as strings', () => {
    const report = sampleReport();
    report.tasks[1]!.properties[1]!.visibility = 'hidden';
    const entry = toGradescope(report).tests.find((t) => t.extra_data.property === 'random-inputs')!;
    expect(entry.extra_data.counterexample).toEqual({ input: { shape: [2, 2], data: [1, 2, 3, 'NaN'] } });
  });

  test('a flood of output stays under 100k characters', () => {
    const report = sampleReport();
    for (const task of report.tasks) for (const p of task.properties) Object.assign(p, { message: 'x'.repeat(200_000), staff: { seed: 1, detail: 'z'.repeat(200_000) } });
    report.studentOutput = 'y'.repeat(1_000_000);
    const text = JSON.stringify(toGradescope(report));
    expect(text.length).toBeLessThan(100_000);
    expect(gradescopeProblems(JSON.parse(text))).toEqual([]);
  });
});

describe('junit.xml', () => {
  const xml = toJUnit(sampleReport());
  const parse = (text: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text);

  test('is valid against schemas/junit-10.xsd (xmllint), and the schema refuses what Jenkins would', () => {
    expect(junitProblems(xml)).toBe('');
    // The schema is not a rubber stamp: an unknown element, a negative count and a zoned timestamp fail.
    expect(junitProblems(xml.replace('<system-out>', '<stdout>').replace('</system-out>', '</stdout>'))).toMatch(/stdout.*not expected/);
    expect(junitProblems(xml.replace('tests="6"', 'tests="-1"'))).toMatch(/tests.*-1/);
    expect(junitProblems(xml.replace(/timestamp="([^"]+)"/, 'timestamp="$1Z"'))).toMatch(/timestamp/);
  });

  test('a suite per task with its timestamp, a case per property; a broken task fails once and skips what never ran', () => {
    const doc = parse(xml);
    const suites = doc.testsuites.testsuite as Array<Record<string, string>>;
    // Worked out from the sample: automatic_diff broke (static) before its one property ran.
    expect(suites.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped])).toEqual([
      ['forward_by_hand', '1', '0', '0', '0'],
      ['forward_function', '2', '1', '0', '0'],
      ['general_bigram_RNN', '1', '1', '0', '0'],
      ['automatic_diff', '2', '1', '0', '1'],
      [RUN_SUITE, '0', '0', '0', '0'],
    ]);
    expect(doc.testsuites).toMatchObject({ tests: '6', failures: '3', errors: '0' });
    expect(new Set(suites.map((s) => s.timestamp))).toEqual(new Set(['2026-11-25T01:00:00']));
    const broken = suites[3]!.testcase as unknown as Array<Record<string, any>>;
    expect(broken[0]).toMatchObject({ name: '[static]', failure: { type: 'static', message: 'lab.ts:41:3 no-autograd: gradH11WrtU must use backward(), not a formula' } });
    expect(broken[1]).toMatchObject({ name: 'matches-torch', skipped: { message: 'not run: the task broke first (static)' } });
  });

  test("staff facts go to a failing case's <system-out>; the run's output and facts to its own suite", () => {
    const doc = parse(xml);
    const hidden = doc.testsuites.testsuite[2].testcase;
    expect(hidden['system-out']).toContain('replay: npx propgrade check fixtures/sample --task general_bigram_RNN');
    const run = doc.testsuites.testsuite[4];
    expect(run['system-out']).toBe('hello from lab.ts');
    expect(run.properties.property).toContainEqual({ name: 'seed', value: '1234' });
  });

  test('a grader fault is an error, not a failure', () => {
    const report = sampleReport();
    report.tasks[3]!.broken = { kind: 'grader-fault', message: 'The grader itself failed' };
    const text = toJUnit(report);
    expect(junitProblems(text)).toBe('');
    const doc = parse(text);
    expect(doc.testsuites).toMatchObject({ tests: '6', failures: '2', errors: '1' });
    expect(doc.testsuites.testsuite[3]).toMatchObject({ errors: '1', failures: '0', skipped: '1' });
    expect(doc.testsuites.testsuite[3].testcase[0]).toMatchObject({ error: { type: 'grader-fault' } });
  });

  test('escapes markup and replaces characters XML cannot hold', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('&lt;tag&gt; &amp; &quot;quotes&quot; \uFFFD');
    expect(xml).not.toContain('\u0001');
  });
});

describe('report.md', () => {
  const md = toMarkdown(sampleReport());

  test('a line per task, failures with their case, findings, coverage and layers', () => {
    expect(md).toContain('**15 / 40** · seed 1234 (--seed)');
    expect(md).toContain('| forward_function | 5 / 10 | 1 of 2 properties failed |');
    expect(md).toContain('| automatic_diff | 0 / 10 | static: ` lab.ts:41:3 no-autograd');
    expect(md).toContain('forward(input, dim, U, V, W) departs at t = 2');
    // A hidden failure's message is generic: the staff report adds its case, divergence and replay.
    expect(md).toContain('```\ncounterexample:\n  tensor[1, 2] [[0, 1]]\n```');
    expect(md).toContain('first differing time step: t = 3\n  expected tensor[2] [0.75, 0.25]\n  yours    tensor[2] [0.5, 0.5]');
    expect(md).toContain('replay: npx propgrade check fixtures/sample --task general_bigram_RNN --property random-tables --seed 1234 --path 3:1 --hidden');
    expect(md).toContain('- ` lab.ts:41:3 no-autograd (fail): gradH11WrtU must use backward(), not a formula `');
    expect(md).toContain('lines 87.5%, branches 50.0%. Lines reached by each task: forward_by_hand 40%, forward_function 63%.');
    expect(md).toContain('sandbox layers: permission-model, frozen-intrinsics');
    expect(md).toContain('grader bug (not counted against the student): ` reference and oracle differ at [0, 1] `');
  });
});

test('writeReports puts the five files in place and leaves no temporary file', async () => {
  const out = await tempDir('reports');
  const files = await writeReports(sampleReport(), join(out, 'nested'));
  expect((await readdir(join(out, 'nested'))).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md', 'results.json']);
  expect(await readFile(files.html, 'utf8')).toMatch(/^<!doctype html>/i);
  const json = JSON.parse(await readFile(files.json, 'utf8'));
  expect(json.tasks[1].properties[1].staff.counterexample.input).toEqual({ shape: [2, 2], data: [1, 2, 3, 'NaN'] });
  expect(gradescopeProblems(JSON.parse(await readFile(files.results, 'utf8')))).toEqual([]);
});
