/**
 * The coverage report of lab.ts (collected by src/grading/coverage.ts): istanbul's JSON
 * (`coverage-final.json`) and HTML beside the other reports, and the percentages the reports quote.
 */
import type { CoverageMap, FileCoverage } from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import { join } from 'node:path';

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
 * HTML report the text the grader read, so the reporter never opens a submitted path itself.
 */
export function writeCoverage(map: CoverageMap, outDir: string, sources?: ReadonlyMap<string, string>): Percentages & { htmlPath: string; jsonPath: string } {
  const sourceFinder = sources && ((path: string) => {
    const text = sources.get(path);
    if (text === undefined) throw new Error(`writeCoverage: no source given for ${path}`);
    return text;
  });
  const context = libReport.createContext({ dir: outDir, coverageMap: map, ...(sourceFinder ? { sourceFinder } : {}) });
  reports.create('json', { file: 'coverage-final.json' }).execute(context);
  reports.create('html', {}).execute(context);
  return { ...percentages(map), htmlPath: join(outDir, 'index.html'), jsonPath: join(outDir, 'coverage-final.json') };
}
