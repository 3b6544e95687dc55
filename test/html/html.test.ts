/**
 * The HTML reports: escaping as a unit, then the real thing in a real browser. A small class is graded
 * by `propgrade batch` with the real grader, and headless Chromium (Debian's `chromium`, installed by
 * .ci/run) opens the class page and one submission's page from file://, checks their parts, and keeps
 * screenshots in reports/.
 */
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runBatch } from '../../src/batch/batch.ts';
import type { GradeReport } from '../../src/model/report.ts';
import { PROJECT_ROOT } from '../../src/gradescope/package.ts';
import { labGraphs } from '../../src/reports/html/graphs.ts';
import { submissionHtml } from '../../src/reports/html/submission.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { tempDir } from '../helpers/temp.ts';
import { sampleReport } from '../reports/sample.ts';
import { CORPUS_DIR, RNN } from '../helpers/rnn.ts';

const SCREENSHOTS = join(PROJECT_ROOT, 'reports');

describe('submissionHtml', () => {
  test('a summary table comes first, failing tasks before passing ones; a replay command shows once; a hidden failure shows what the grader saw', () => {
    const report = sampleReport();
    const hidden = report.tasks[2]!.properties[0]!;
    hidden.staff!.detail = 'fast-check seed 42, path 3:1, after 4 cases and 2 shrinks\nMismatch: the outputs o_1 .. o_N are wrong at t = 3: expected [0.75, 0.25], got [0.5, 0.5]\n    at check (/grader/specs/x.ts:1:1)';
    const publicOne = report.tasks[1]!.properties[1]!;
    publicOne.staff!.replay = 'npx propgrade check fixtures/sample --task forward_function --property random-inputs --seed 1234 --path 2:0';
    publicOne.message += `\nReplay it with: ${publicOne.staff!.replay}`;
    const html = submissionHtml(report);
    const summary = html.indexOf('<table class="props summary">');
    expect(summary).toBeGreaterThan(-1);
    expect(summary).toBeLessThan(html.indexOf('<section class="task"'));
    const order = [...html.matchAll(/<section class="task" id="([\w-]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['forward_function', 'general_bigram_RNN', 'automatic_diff', 'forward_by_hand']);
    expect(html.split(publicOne.staff!.replay).length - 1).toBe(1);
    // Visible without unfolding: outside any <details> that is not open.
    const seen = html.indexOf('What the grader saw (staff)');
    expect(seen).toBeGreaterThan(-1);
    expect(html.slice(seen, html.indexOf('</details>', seen))).toContain('expected [0.75, 0.25], got [0.5, 0.5]');
    expect(html.lastIndexOf('<details>', seen)).toBeLessThan(html.lastIndexOf('<details open class="failure">', seen));
  });

  test('everything from the student is escaped', () => {
    const report: GradeReport = {
      submission: '/class/<svg onload=alert(1)>',
      lab: 'rnn',
      seed: 1,
      seedSource: 'flag',
      startedAt: '2026-11-25T00:00:00.000Z',
      durationMs: 1,
      findings: [],
      sandboxLayers: [],
      studentOutput: '</pre><script>alert(2)</script>',
      tasks: [
        {
          task: 'bigram',
          title: 'Sequence probability',
          maxScore: 1,
          score: 0,
          passed: false,
          findings: [],
          graderBugs: [],
          properties: [
            {
              task: 'bigram', property: 'p', title: 't', visibility: 'public', passed: false, maxScore: 1, score: 0, runs: 1, durationMs: 1,
              message: 'threw <img src=x onerror=alert(3)>',
              staff: { seed: 1, counterexample: { '<b>': { shape: [1], data: Float64Array.of(NaN) } } },
            },
          ],
        },
      ],
    };
    const html = submissionHtml(report, { code: { lines: ['const s = "</pre><script>alert(4)</script>";'], hits: new Map([[1, 0]]), functions: new Map() } });
    expect(html).not.toMatch(/<script|<img|<b>|<svg onload/);
    expect(html).toContain('<h1>&lt;svg onload=alert(1)&gt;</h1>');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('threw &lt;img src=x onerror=alert(3)&gt;');
    expect(html).toContain('&lt;b&gt;');
    expect(html).toContain('<span class="ln uncovered" data-n="1" title="never run">');
  });
});

describe('labGraphs', () => {
  test("the student's graph is drawn inert: a forged DOT text gets no link, script or handler through", async () => {
    const forged = 'digraph { a [label="<script>alert(1)</script>" URL="javascript:alert(2)" tooltip="x"]; b [href="http://example.com/"]; a -> b }';
    const graphs = await labGraphs({ graphs: { forward_by_hand: forged } }, RNN);
    const student = graphs.forward_by_hand!;
    expect(student.label).toMatch(/^The student's computation graph/);
    expect(student.svg).toMatch(/^<svg\b/);
    expect(student.svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(student.svg).not.toMatch(/<a\b|<script|javascript:|href=|example\.com/);
    // No graph captured for the forward function: the reference's, and the page says so.
    expect(graphs.forward_function!.label).toMatch(/^The reference solution's computation graph/);
    expect(graphs.forward_function!.svg).toMatch(/SelectBackward/);
  });
});

describe.skipIf(!hasChromium)('the HTML reports in headless Chromium', () => {
  let browser: Browser;
  let out: string;

  beforeAll(async () => {
    // Three submissions: correct, one bug in the forward function, one bug in the bigram probability.
    const classDir = await tempDir('html-class');
    for (const name of ['correct-loops', 'forward-no-relu', 'bigram-sums']) {
      await cp(join(CORPUS_DIR, name), join(classDir, name), { recursive: true });
    }
    out = await tempDir('html-out');
    await runBatch({ classDir, outDir: out, workers: 2, seed: 7, runs: 10, resume: false, limits: { wallMs: 120_000, outputBytes: 1 << 22 }, lab: { id: RNN.id, dir: RNN.dir, submission: RNN.submission, tasks: RNN.tasks } });
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a page, failing on any request that leaves file:// and on any console error. */
  async function open(file: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('request', (r) => void (/^(file|data):/.test(r.url()) || problems.push(`request to ${r.url()}`)));
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    expect(problems).toEqual([]);
    return page;
  }

  test("a submission's page: every task, a counterexample as tensor tables, coverage marks, the graph", async () => {
    const page = await open(join(out, 'forward-no-relu', 'report.html'));
    expect(await page.locator('section.task[data-task]').count()).toBe(RNN.tasks.length);
    const failing = page.locator('section#forward_function');
    expect(await failing.locator('header .pill.fail').count()).toBe(1);
    const tensors = failing.locator('.failure table.tensor');
    expect(await tensors.count()).toBeGreaterThan(0);
    expect(await tensors.first().locator('caption').textContent()).toMatch(/^shape \[\d+(, \d+)*\]$/);
    expect(await page.locator('section#forward_by_hand > header .pill.pass').count()).toBe(1);
    // Coverage: lines run are marked, and the markers carry their hit counts.
    expect(await page.locator('#code pre.code .ln.covered').count()).toBeGreaterThan(5);
    expect(await page.locator('#code pre.code .ln.covered').first().getAttribute('title')).toMatch(/^run \d+ time\(s\)$/);
    // Each task shows the code of the exports it grades.
    const taskCode = failing.locator('details', { hasText: 'Code of this task' }).locator('pre.code .ln');
    expect(await taskCode.first().textContent()).toMatch(/^export function forward\(/);
    // The forward tasks' computation graph, drawn as SVG with the engine's nodes.
    const graph = page.locator('section#forward_by_hand .graph svg');
    expect(await graph.count()).toBe(1);
    expect(await graph.locator('g.node').count()).toBeGreaterThan(5);
    expect(await graph.textContent()).toMatch(/(Relu|Clamp)Backward/);
    await page.screenshot({ path: join(SCREENSHOTS, 'html-report-submission.png'), fullPage: true });
  });

  test('the class page: tasks with pass rates, the histogram, every student linked', async () => {
    const page = await open(join(out, 'summary.html'));
    expect(await page.locator('table.tasks tr').count()).toBe(RNN.tasks.length + 1);
    expect(await page.locator('svg.histogram rect').count()).toBe(11); // ten tenths, then full marks
    const links = await page.locator('table.students a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['bigram-sums/report.html', 'correct-loops/report.html', 'forward-no-relu/report.html']);
    const bigram = await page.locator('table.tasks tr', { hasText: 'bigram' }).first().textContent();
    expect(bigram).toMatch(/67%/); // two of three get the bigram task right
    await page.screenshot({ path: join(SCREENSHOTS, 'html-report-class.png'), fullPage: true });
  });
});
