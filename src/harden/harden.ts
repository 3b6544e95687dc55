/**
 * `propgrade harden` end to end: the domain mutants and Stryker's, each graded through the real
 * pipeline; a mutant nothing kills goes through the small-case equivalence search; then the report.
 */
import { readFile } from 'node:fs/promises';
import type { Lab } from '../lab/load.ts';
import { openInProcess } from '../sandbox/inprocess.ts';
import type { LabClient } from '../sandbox/protocol.ts';
import { searchDifference } from './equivalence.ts';
import { killMatrix, type Verdict } from './kill.ts';
import { domainMutants, type Mutant } from './mutants/index.ts';
import { buildReport, type HardenReport, type MutantResult } from './report.ts';
import { runStryker, strykerMutants, type StrykerView } from './stryker.ts';

export interface HardenOptions {
  lab: Lab;
  seed: number;
  /** Overrides every generated property's runs (default: the specs' own). */
  runs?: number;
  /** Gradings in flight at once. */
  workers: number;
  /** Run Stryker too (it takes about a minute on two cores). */
  stryker: boolean;
  /** Only these domain operators (default: all). */
  operators?: string[];
  log?: (line: string) => void;
}

export async function harden(options: HardenOptions): Promise<HardenReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const log = options.log ?? (() => {});
  const { lab } = options;
  if (!lab.paths.reference) throw new Error(`lab '${lab.id}' has no reference solution to mutate`);
  const reference = await readFile(lab.paths.reference, 'utf8');
  const mutants: Array<Mutant & { stryker?: StrykerView }> = domainMutants(reference, lab.tasks, options.operators);
  log(`${mutants.length} domain mutants`);

  let stryker: HardenReport['stryker'] = { status: 'skipped', reason: '--no-stryker' };
  if (options.stryker) {
    const t0 = performance.now();
    try {
      await runStryker(lab, options.seed, (line) => log(`stryker: ${line}`));
      const generic = await strykerMutants(lab);
      mutants.push(...generic);
      stryker = { status: 'ran', durationMs: Math.round(performance.now() - t0), mutants: generic.length };
      log(`${generic.length} Stryker mutants`);
    } catch (error) {
      stryker = { status: 'failed', reason: error instanceof Error ? error.message : String(error), durationMs: Math.round(performance.now() - t0) };
      log(`Stryker failed, going on with the domain mutants: ${stryker.reason}`);
    }
  }

  let graded = 0;
  const verdicts = await killMatrix(mutants, {
    lab,
    seed: options.seed,
    runs: options.runs,
    workers: options.workers,
    onVerdict: () => {
      if (++graded % 20 === 0 || graded === mutants.length) log(`graded ${graded}/${mutants.length}`);
    },
  });

  const results: MutantResult[] = [];
  const referenceLab = await openInProcess(lab.paths.reference, { driver: lab.paths.driver });
  try {
    for (const mutant of mutants) results.push(await judge(lab, mutant, verdicts.get(mutant.id)!, referenceLab));
  } finally {
    await referenceLab.close();
  }
  return buildReport(results, { seed: options.seed, runs: options.runs ?? null, startedAt, durationMs: Math.round(performance.now() - started), stryker });
}

/** The verdict made a status: a mutant nothing killed is searched for a difference before it counts as a survivor. */
async function judge(lab: Lab, mutant: Mutant & { stryker?: StrykerView }, verdict: Verdict, reference: LabClient): Promise<MutantResult> {
  const { text: _text, ...shown } = mutant;
  const base = { ...shown, killedBy: verdict.killedBy, exampleCaught: verdict.exampleCaught, durationMs: verdict.durationMs };
  if (verdict.graderFaults.length > 0) return { ...base, status: 'error', graderFaults: verdict.graderFaults };
  if (verdict.killedBy.length > 0) return { ...base, status: 'killed' };
  const equivalence = await searchDifference(lab, mutant.text, mutant.tasks, reference);
  return { ...base, status: equivalence.equivalent ? 'equivalent' : 'survived', equivalence };
}
