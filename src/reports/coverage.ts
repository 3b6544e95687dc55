/**
 * Coverage of the student's lab.ts by a grading run. The sandbox leaves V8's raw coverage of the
 * bundle (NODE_V8_COVERAGE files, c8's input); v8-to-istanbul maps it back through the bundle's
 * source map, the engine and the harness are dropped, and istanbul writes the JSON and HTML reports.
 */
import libCoverage, { type CoverageMap } from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Profiler } from 'node:inspector';
import v8ToIstanbul from 'v8-to-istanbul';

export interface BundleSource {
  /** The bundle file as the sandbox ran it (its URL names it in the raw coverage). */
  file: string;
  /** The bundle's text and its source map's text, read before the build folder goes away. */
  code: string;
  map: string;
}

export interface CoverageSummary {
  lines: number;
  branches: number;
  htmlPath: string;
  jsonPath: string;
}

/** Every raw V8 coverage record of `bundle.file` found in `rawDir` (one file per process run). */
async function rawCoverage(rawDir: string, bundleFile: string): Promise<Profiler.FunctionCoverage[][]> {
  const url = pathToFileURL(bundleFile).href;
  const names = (await readdir(rawDir).catch(() => [])).filter((n) => n.endsWith('.json')).sort();
  const runs: Profiler.FunctionCoverage[][] = [];
  for (const name of names) {
    const { result } = JSON.parse(await readFile(join(rawDir, name), 'utf8')) as { result: Profiler.ScriptCoverage[] };
    for (const script of result) if (script.url === url) runs.push(script.functions);
  }
  return runs;
}

/** The coverage of `labFile` alone, merged over every process run; empty when the runs left no record. */
export async function labCoverage(rawDir: string, bundle: BundleSource, labFile: string): Promise<CoverageMap> {
  const map = libCoverage.createCoverageMap({});
  const lab = resolve(labFile);
  for (const functions of await rawCoverage(rawDir, bundle.file)) {
    const converter = v8ToIstanbul(bundle.file, 0, { source: bundle.code, originalSource: '', sourceMap: { sourcemap: JSON.parse(bundle.map) } });
    await converter.load();
    converter.applyCoverage(functions);
    const data = converter.toIstanbul();
    if (data[lab]) map.merge({ [lab]: data[lab] });
    converter.destroy();
  }
  return map;
}

/**
 * Writes `coverage-final.json` and the HTML report into `outDir`; percentages of lines and branches.
 * Undefined when the map is empty (no process run left a record: say so rather than print 0%).
 */
export function writeCoverage(map: CoverageMap, outDir: string): CoverageSummary | undefined {
  if (map.files().length === 0) return undefined;
  const context = libReport.createContext({ dir: outDir, coverageMap: map });
  reports.create('json', { file: 'coverage-final.json' }).execute(context);
  reports.create('html', {}).execute(context);
  const summary = map.getCoverageSummary();
  return {
    lines: summary.lines.pct,
    branches: summary.branches.pct,
    htmlPath: join(outDir, 'index.html'),
    jsonPath: join(outDir, 'coverage-final.json'),
  };
}
