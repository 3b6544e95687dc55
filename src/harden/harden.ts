/**
 * `propgrade harden` end to end: the domain mutants (the lab's operators and the generic ones) and
 * Stryker's, each graded through the real pipeline on warm workers, where a mutant nothing kills goes
 * through the small-case equivalence search; then the report.
 */
import { readFile } from 'node:fs/promises';
import type { Lab } from '../lab/load.ts';
import { killMatrix, type Verdict } from './kill.ts';
import { labHarden } from './lab.ts';
import { domainMutants, type Mutant } from './mutants/index.ts';
import { buildReport, type HardenReport, type MutantResult } from './report.ts';
import { strykerMutants } from './stryker.ts';

export interface HardenOptions {
  lab: Lab;
  seed: number;
  /** Overrides every generated property's runs (default: the specs' own). */
  runs?: number;
  /** Grader processes at once. */
  workers: number;
  /** Stryker's mutants too. */
  stryker: boolean;
  /** Only these domain operators (default: all, the lab's and the generic ones). */
  operators?: string[];
  log?: (line: string) => void;
}

export async function harden(options: HardenOptions): Promise<HardenReport> {
  const started = performance.now();
  const since = (t: number) => Math.round(performance.now() - t);
  const startedAt = new Date().toISOString();
  const log = options.log ?? (() => {});
  const { lab } = options;
  if (!lab.paths.reference) throw new Error(`lab '${lab.id}' has no reference solution to mutate`);
  const reference = await readFile(lab.paths.reference, 'utf8');
  const own = await labHarden(lab);
  const mutants: Mutant[] = domainMutants(reference, lab, own.operators, options.operators);
  log(`${mutants.length} domain mutants`);

  let stryker: HardenReport['stryker'] = { status: 'skipped', reason: '--no-stryker' };
  if (options.stryker) {
    const t0 = performance.now();
    try {
      // A Stryker mutant that a domain operator planted already is graded once, under the domain's name.
      const planted = new Set(mutants.map((m) => m.text));
      const generic = (await strykerMutants(lab, reference)).filter((m) => !planted.has(m.text));
      mutants.push(...generic);
      stryker = { status: 'ran', durationMs: since(t0), mutants: generic.length };
      log(`${generic.length} Stryker mutants (besides the domain ones)`);
    } catch (error) {
      stryker = { status: 'failed', reason: error instanceof Error ? error.message : String(error), durationMs: since(t0) };
      log(`Stryker failed, going on with the domain mutants: ${stryker.reason}`);
    }
  }
  const mutantsMs = since(started);

  const grading = performance.now();
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
  const results = mutants.map((mutant) => judge(mutant, verdicts.get(mutant.id)!));
  const timings = { mutantsMs, gradingMs: since(grading) };
  return buildReport(results, { seed: options.seed, runs: options.runs ?? null, startedAt, durationMs: since(started), timings, workers: options.workers, stryker });
}

/** The verdict made a status: a mutant nothing killed was searched for a difference (kill.ts) before it counts as a survivor. */
function judge(mutant: Mutant, verdict: Verdict): MutantResult {
  const { text: _text, ...shown } = mutant;
  const base = { ...shown, killedBy: verdict.killedBy, exampleCaught: verdict.exampleCaught, durationMs: verdict.durationMs };
  if (verdict.graderFaults.length > 0) return { ...base, status: 'error', graderFaults: verdict.graderFaults };
  if (verdict.killedBy.length > 0 || !verdict.equivalence) return { ...base, status: 'killed' };
  return { ...base, status: verdict.equivalence.equivalent ? 'equivalent' : 'survived', equivalence: verdict.equivalence };
}
