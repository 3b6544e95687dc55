/** summary.html in headless Chromium: a large class fits a 1280 px screen, full marks have their own bar, optional tasks say who did them. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { writeClassHtml } from '../../src/batch/summary-html.ts';
import { summarize, timingsOf, type Entry } from '../../src/batch/summary.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { tempDir } from '../helpers/temp.ts';

const TASKS = Array.from({ length: 14 }, (_, i) => ({ task: `a_rather_long_task_identifier_${i}`, title: `Task number ${i} with a title of some length`, maxScore: i === 13 ? 0 : 2 }));
const OPTIONAL = TASKS[13]!.task;

/** Student k passes the first k % 14 tasks; folder names far wider than a screen, with no space to break at. */
function entryOf(k: number): Entry {
  const tasks = TASKS.map((t, i) => ({ ...t, score: i < k % 14 ? t.maxScore : 0, passed: i < k % 14 || (t.maxScore === 0 && k % 3 === 0), failing: i < k % 14 ? [] : ['p'] }));
  const score = tasks.reduce((s, t) => s + t.score, 0);
  return { name: `student_${String(k).padStart(2, '0')}_${'x'.repeat(150)}`, seed: 1, status: 'graded', score, maxScore: 26, tasks, durationMs: 1000 + k };
}

describe.skipIf(!hasChromium)('summary.html', () => {
  const entries = Array.from({ length: 40 }, (_, k) => entryOf(k));
  const summary = summarize(entries, 1);
  let browser: Browser;
  let file: string;
  beforeAll(async () => {
    file = await writeClassHtml(summary, timingsOf(entries), await tempDir('summary-html'));
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => browser?.close());

  test('fits 1280 px with 14 tasks and 160-character folder names: no horizontal scroll', { timeout: 120_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    expect(await page.locator('table.students tr').count()).toBe(entries.length + 1);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
  });

  test('the histogram shows full marks as their own bar; optional tasks list who passed them', { timeout: 120_000 }, async () => {
    const full = entries.filter((e) => e.score === 26).length;
    expect(full).toBeGreaterThan(0);
    expect(summary.distribution.histogram.at(-1)).toEqual({ from: 26, to: 26, count: full });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    expect(await page.locator('svg.histogram rect').last().locator('title').textContent()).toBe(`${full} with full marks (26)`);
    const doneBy = entries.filter((e) => e.tasks.some((t) => t.task === OPTIONAL && t.passed)).map((e) => e.name);
    expect(summary.tasks.find((t) => t.task === OPTIONAL)!.doneBy).toEqual(doneBy);
    const row = page.locator('table.optional tr', { hasText: OPTIONAL });
    expect(await row.locator('td.num').textContent()).toBe(`${doneBy.length} of ${entries.length}`);
    expect(await row.locator('a').evaluateAll((as) => as.map((a) => a.textContent))).toEqual(doneBy);
    expect(summary.tasks.filter((t) => t.doneBy !== undefined).map((t) => t.task)).toEqual([OPTIONAL]);
  });
});
