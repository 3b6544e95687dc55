/**
 * Stryker's generic mutants of the reference (stryker.config.mjs: the spec suite of
 * test/stryker as its tests, fast-check's seed pinned). Runs Stryker, then reads its JSON report
 * into mutants like the domain ones: the full lab text and a diff, from each mutant's location and
 * replacement, with Stryker's own status beside.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import type { Lab } from '../lab/load.ts';
import { mutantOf, parseLab, type Mutant } from './mutants/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STRYKER_REPORT = join(ROOT, 'reports/mutation/mutation.json');

/** What Stryker itself said of a mutant. */
export interface StrykerView {
  /** Stryker's status: Killed, Survived, NoCoverage, Timeout, CompileError, RuntimeError, Ignored. */
  status: string;
  /** The spec-suite tests (task ids) that killed it. */
  killedBy: string[];
  reason?: string;
}

/** The parts of Stryker's mutation-testing-report-schema JSON read here. */
interface StrykerReport {
  files: Record<string, { source: string; mutants: StrykerMutant[] }>;
  testFiles?: Record<string, { tests: { id: string; name: string }[] }>;
}
interface StrykerMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  statusReason?: string;
  killedBy?: string[];
  location: { start: Position; end: Position };
}
/** 1-based line and column. */
interface Position {
  line: number;
  column: number;
}

/** Runs Stryker over the reference (seed passed to the spec suite); resolves with its JSON report's path. */
export function runStryker(lab: Lab, seed: number, log: (line: string) => void = () => {}): Promise<string> {
  // The package exports no bin path: find it beside its package.json.
  const manifest = createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json');
  const bin = join(dirname(manifest), 'bin/stryker.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'run', 'stryker.config.mjs'], {
      cwd: ROOT,
      env: { ...process.env, PROPGRADE_TEST_SEED: String(seed), PROPGRADE_LAB: lab.dir, PROPGRADE_STRYKER_MUTATE: referenceOf(lab) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-4000);
      for (const line of chunk.toString('utf8').split('\n')) if (/Mutation testing|Done in/.test(line)) log(line.trim());
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(STRYKER_REPORT) : reject(new Error(`Stryker exited with code ${code}:\n${tail}`))));
  });
}

/** Stryker's mutants of the reference, from its JSON report, as mutants with a diff and the tasks they touch. */
export async function strykerMutants(lab: Lab, reportPath = STRYKER_REPORT): Promise<Array<Mutant & { stryker: StrykerView }>> {
  const LAB = referenceOf(lab);
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as StrykerReport;
  const file = report.files[LAB];
  if (!file) throw new Error(`${reportPath} has no mutants of ${LAB} (files: ${Object.keys(report.files).join(', ') || 'none'})`);
  const testNames = new Map(Object.values(report.testFiles ?? {}).flatMap((f) => f.tests.map((t) => [t.id, t.name] as const)));
  const parsed = parseLab(file.source);
  const lineStarts = [0, ...[...file.source.matchAll(/\n/g)].map((m) => m.index! + 1)];
  const offset = ({ line, column }: Position) => lineStarts[line - 1]! + column - 1;
  return file.mutants
    .filter((m) => m.replacement !== undefined)
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((m) => ({
      ...mutantOf(file.source, [{ start: offset(m.location.start), end: offset(m.location.end), text: m.replacement! }], lab.tasks, parsed),
      id: `stryker#${m.id}`,
      operator: `stryker:${m.mutatorName}`,
      title: `Stryker's ${m.mutatorName} mutator`,
      source: 'stryker' as const,
      stryker: { status: m.status, killedBy: (m.killedBy ?? []).map((id) => testNames.get(id) ?? id), ...(m.statusReason ? { reason: m.statusReason } : {}) },
    }));
}

/** The lab's reference as Stryker names it: relative to the project root (Stryker mutates only files inside it). */
function referenceOf(lab: Lab): string {
  const path = relative(ROOT, lab.paths.reference ?? '');
  if (!lab.paths.reference || path.startsWith('..')) throw new Error(`Stryker mutates files inside ${ROOT} only; lab '${lab.id}' has its reference at ${lab.paths.reference ?? '(none)'}`);
  return path.split('\\').join('/');
}
