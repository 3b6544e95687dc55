/**
 * Writes every view of a GradeReport into one folder. Each file is written to a temporary name and
 * renamed into place, so a reader (Gradescope, a batch merge) never sees half a file, and a crash
 * mid-write leaves the previous file whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { admitReport } from '../model/admit.ts';
import type { GradeReport } from '../model/report.ts';
import type { Lab } from '../lab/load.ts';
import { isPlainTensor } from '../sandbox/protocol.ts';
import { toAnswersMarkdown } from './answers.ts';
import { renderHtmlReport } from './html/submission.ts';
import { toJUnit } from './junit.ts';
import { toMarkdown } from './markdown.ts';
import { plainToJson } from './plain-json.ts';
import { loadConfig } from '../config/config.ts';
import { toGradescope } from './results.ts';

export interface ReportFiles {
  results: string;
  junit: string;
  markdown: string;
  json: string;
  html: string;
  /** The written answers (when the lab asks questions in words). */
  answers?: string;
}

export async function writeAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The full GradeReport as JSON: tensors as `{ shape, data: number[] }`, `NaN` and infinities as strings. */
function reportToJson(report: GradeReport): string {
  return JSON.stringify(report, (_key, value) => (typeof value === 'number' || isPlainTensor(value) ? plainToJson(value) : value), 2);
}

/**
 * Every view of `report` into `outDir`; with `lab`, report.html also draws the lab's graphs. The
 * report is admitted first (src/model/admit.ts; a graded one already is), so every view renders
 * bounded plain text, whoever made the report.
 */
export async function writeReports(graded: GradeReport, outDir: string, lab?: Lab, { hiddenVisibility = loadConfig().settings.hiddenVisibility } = {}): Promise<ReportFiles> {
  const report = admitReport(graded);
  await mkdir(outDir, { recursive: true });
  const files: ReportFiles = {
    results: join(outDir, 'results.json'),
    junit: join(outDir, 'junit.xml'),
    markdown: join(outDir, 'report.md'),
    json: join(outDir, 'report.json'),
    html: join(outDir, 'report.html'),
  };
  await Promise.all([
    writeAtomic(files.results, JSON.stringify(toGradescope(report, { hiddenVisibility }), null, 2) + '\n'),
    writeAtomic(files.junit, toJUnit(report)),
    writeAtomic(files.markdown, toMarkdown(report)),
    writeAtomic(files.json, reportToJson(report) + '\n'),
    renderHtmlReport(report, outDir, lab).then((html) => writeAtomic(files.html, html)),
  ]);
  if (report.answers?.length) {
    files.answers = join(outDir, 'answers.md');
    await writeAtomic(files.answers, toAnswersMarkdown(report));
  }
  return files;
}
