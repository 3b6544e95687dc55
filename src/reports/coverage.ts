/**
 * The coverage report of lab.ts (collected by src/grading/coverage.ts): istanbul's JSON
 * (`coverage-final.json`) and HTML beside the other reports, and the percentages the reports quote.
 *
 * istanbul-reports 3.2 escapes `<`, `>` and `&` in the source, then turns U+0001 and U+0002 (its own
 * markers) into `<` and `>`: a comment of lab.ts holding them became markup on the page. The reporter
 * therefore reads the source made visible (src/model/text.ts: those characters become U+FFFD, one for
 * one, so lines and columns stay the file's), and every page gets a policy that runs only istanbul's
 * own scripts (its files beside the page, and its one inline `onload` by hash).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoverageMap, FileCoverage } from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import { visibleSource } from '../model/text.ts';
import { cspMeta } from './html/page.ts';

export interface Percentages {
  lines: number;
  branches: number;
}

/** Lines and branches covered, in percent (istanbul counts 100% when there is nothing to cover). */
export function percentages(coverage: CoverageMap | FileCoverage): Percentages {
  const summary = 'getCoverageSummary' in coverage ? coverage.getCoverageSummary() : coverage.toSummary();
  return { lines: summary.lines.pct, branches: summary.branches.pct };
}

/**
 * Writes `coverage-final.json` and the HTML report into `outDir`. `sources` (path -> text) gives the
 * HTML report the text the grader read, so the reporter never opens a submitted path itself; either
 * way it shows only the visible characters (visibleSource: istanbul turns U+0001/U+0002 into markup).
 */
export function writeCoverage(map: CoverageMap, outDir: string, sources?: ReadonlyMap<string, string>): Percentages & { htmlPath: string; jsonPath: string } {
  const sourceFinder = (path: string) => {
    const text = sources ? sources.get(path) : readFileSync(path, 'utf8');
    if (text === undefined) throw new Error(`writeCoverage: no source given for ${path}`);
    return visibleSource(text);
  };
  const context = libReport.createContext({ dir: outDir, coverageMap: map, sourceFinder });
  reports.create('json', { file: 'coverage-final.json' }).execute(context);
  reports.create('html', {}).execute(context);
  lockPages(outDir);
  return { ...percentages(map), htmlPath: join(outDir, 'index.html'), jsonPath: join(outDir, 'coverage-final.json') };
}

/** istanbul's one inline script (it starts syntax highlighting); any other inline script stays blocked. */
const ONLOAD = /<script>(\s*window\.onload = function \(\) \{\s*prettyPrint\(\);\s*\};\s*)<\/script>/;

/** Every page of the coverage report gets a Content-Security-Policy as the first element of its head. */
function lockPages(dir: string): void {
  const pages = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.html'));
  for (const file of pages) {
    const path = join(dir, file);
    const html = readFileSync(path, 'utf8');
    const onload = ONLOAD.exec(html)?.[1];
    const hash = onload === undefined ? '' : ` 'sha256-${createHash('sha256').update(onload).digest('base64')}'`;
    const policy = `default-src 'none'; script-src 'self'${hash}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'`;
    writeFileSync(path, html.replace(/<head>/i, `<head>\n${cspMeta(policy)}`));
  }
}
