/**
 * Every HTML page the grader writes, opened in headless Chromium with an injected-script detector.
 * A class holding the markup-carriers fixture (fixtures/hostile) under a folder name that is markup
 * too is graded by `propgrade batch` with the real grader; each payload calls `__pwned(where)`,
 * which the test exposes to the page (harden's page gets the payload in its mutants): a page that runs any payload, has an event handler or a
 * `javascript:` link, or lacks its Content-Security-Policy fails. Two controls show the detector
 * catches what it should: istanbul's own HTML of the same lab.ts (no visible source, no CSP) runs the
 * U+0001/U+0002 payload, and report.html with a handler planted runs it only once its CSP is gone.
 */
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import libCoverage from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runBatch } from '../../src/batch/batch.ts';
import { buildReport, writeHardenReport, type MutantResult } from '../../src/harden/report.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'hostile', 'markup-carriers');
const FOLDER = `<svg onload=__pwned('folder')><img src=x onerror=__pwned('folder-img')>`;
/** istanbul's scripts, each a file beside its page, and its one inline script (allowed by hash). */
const ISTANBUL_SCRIPTS = ['prettify.js', 'sorter.js', 'block-navigation.js'];

/** Run in the page (the project's types know no DOM): what could run, the page's policy, its headings. */
const INSPECT = `(() => {
  const allowed = ${JSON.stringify(ISTANBUL_SCRIPTS)};
  const armed = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (/^on/i.test(attribute.name) || /^\\s*javascript:/i.test(attribute.value)) armed.push(element.tagName + ' ' + attribute.name + '=' + attribute.value);
    }
  }
  for (const script of document.scripts) {
    const name = script.src.split('/').pop();
    const inline = !script.src && /^\\s*window\\.onload = function \\(\\) \\{\\s*prettyPrint\\(\\);\\s*\\};\\s*$/.test(script.text);
    if (!allowed.includes(name) && !inline) armed.push('script ' + (script.src || script.text.slice(0, 80)));
  }
  const meta = document.head.querySelector('meta[http-equiv="Content-Security-Policy"]');
  return { armed, csp: meta ? meta.getAttribute('content') : null, headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => h.textContent) };
})()`;

interface Visit {
  /** The payloads that ran, by where they came from. */
  ran: string[];
  /** What the DOM holds that could run: handlers, javascript: links, scripts not istanbul's. */
  armed: string[];
  csp: string | null;
  headings: string[];
  problems: string[];
}

describe.skipIf(!hasChromium)('every page the grader writes, in Chromium, runs nothing injected', () => {
  let browser: Browser;
  let out: string;
  let pages: string[];

  beforeAll(async () => {
    const classDir = await tempDir('pages-class');
    await cp(FIXTURE, join(classDir, FOLDER), { recursive: true });
    out = await tempDir('pages-out');
    await runBatch({ classDir, outDir: out, workers: 1, seed: 5, runs: 5, resume: false, limits: { wallMs: 120_000, outputBytes: 1 << 22 }, lab: { id: RNN.id, dir: RNN.dir, submission: RNN.submission, tasks: RNN.tasks } });
    // harden's page too: its mutants' titles and diffs carry the payload (they come from lab code, not a submission).
    const payload = `<img src=x onerror="__pwned('harden')">`;
    const mutant: MutantResult = {
      id: 'op#1', operator: 'op', title: payload, source: 'domain', tasks: ['bigram'], diff: `--- a/lab.ts\n+++ b/lab.ts\n@@ -1 +1 @@\n-a\n+${payload}\n`,
      status: 'survived', killedBy: [], exampleCaught: false, equivalence: { equivalent: false, cases: 1, reason: payload }, graderFaults: [payload], durationMs: 1,
    };
    await writeHardenReport(buildReport([mutant], { seed: 1, runs: null, startedAt: '2026-12-03T00:00:00.000Z', durationMs: 1, timings: { mutantsMs: 0, gradingMs: 1 }, workers: 1, stryker: { status: 'skipped' } }), join(out, 'harden'));
    pages = (await readdir(out, { recursive: true })).filter((file) => file.endsWith('.html')).map((file) => join(out, file));
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function visit(file: string): Promise<Visit> {
    const context = await browser.newContext();
    const ran: string[] = [];
    const problems: string[] = [];
    await context.exposeBinding('__pwned', (_source, where: string) => void ran.push(where));
    const page = await context.newPage();
    page.on('dialog', (dialog) => void (ran.push(`dialog: ${dialog.message()}`), dialog.dismiss()));
    page.on('request', (r) => void (/^(file|data):/.test(r.url()) || problems.push(`request to ${r.url()}`)));
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const found = (await page.evaluate(INSPECT)) as Pick<Visit, 'armed' | 'csp' | 'headings'>;
    await context.close();
    return { ran, problems, ...found };
  }

  test('the class page, the report, the coverage pages: none runs a payload or holds one armed', async () => {
    const names = pages.map((file) => file.slice(out.length + 1)).sort();
    // Every kind of page is there: the class's, the student's report, coverage's index and its lab.ts page.
    expect(names).toEqual(expect.arrayContaining(['summary.html', `${FOLDER}/report.html`, `${FOLDER}/coverage/index.html`, `${FOLDER}/coverage/lab.ts.html`, 'harden/harden.html']));
    for (const file of pages) {
      const seen = await visit(file);
      expect({ file, ran: seen.ran, armed: seen.armed, problems: seen.problems }).toEqual({ file, ran: [], armed: [], problems: [] });
      expect(seen.csp, file).toMatch(/default-src 'none'/);
      expect(seen.csp, file).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(seen.headings.filter((h) => /All tasks passed/.test(h)), file).toEqual([]);
    }
    // The payloads arrived (as text): the pages were attacked, not spared.
    const report = await readFile(join(out, FOLDER, 'report.html'), 'utf8');
    expect(report).toContain('__pwned(&#39;string-img&#39;)');
    expect(await readFile(join(out, FOLDER, 'coverage', 'lab.ts.html'), 'utf8')).toContain("\uFFFDimg src=x onerror=__pwned('coverage-img')\uFFFD");
  });

  test("control: istanbul's own page of the same lab.ts runs the U+0001/U+0002 payload", async () => {
    const dir = await tempDir('pages-control');
    const map = libCoverage.createCoverageMap(JSON.parse(await readFile(join(out, FOLDER, 'coverage', 'coverage-final.json'), 'utf8')));
    reports.create('html', {}).execute(libReport.createContext({ dir, coverageMap: map }));
    const page = (await readdir(dir, { recursive: true })).find((file) => file.endsWith('lab.ts.html'))!;
    const seen = await visit(join(dir, page));
    expect(seen.ran).toEqual(expect.arrayContaining(['coverage-img']));
    expect(seen.csp).toBeNull();
  });

  test('control: a handler planted in report.html runs once its CSP is taken out, and not before', async () => {
    const dir = await tempDir('pages-csp');
    const html = (await readFile(join(out, FOLDER, 'report.html'), 'utf8')).replace('<body>', `<body><img src="x" onerror="__pwned('planted')">`);
    await writeFile(join(dir, 'with-csp.html'), html);
    await writeFile(join(dir, 'without-csp.html'), html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    expect((await visit(join(dir, 'with-csp.html'))).ran).toEqual([]);
    expect((await visit(join(dir, 'without-csp.html'))).ran).toEqual(['planted']);
  });
});
