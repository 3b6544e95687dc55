/**
 * Is a surviving mutant really wrong? A search over small cases, mutant against reference, for
 * every export the mutant touches: the lab's own cases where its harden module gives them (a value
 * run by a driver, a gradient at a kink judged by the subgradient rule, a design compared by what
 * it does), else cases drawn from the export's signature (cases.ts). No difference anywhere: the
 * mutant is equivalent (not counted). Otherwise the first distinguishing input is a to-do for
 * staff: a property should find it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../lab/load.ts';
import { bundleSubmission } from '../sandbox/build.ts';
import { openSandboxed } from '../sandbox/process.ts';
import { isPlainTensor, StudentError, type LabClient, type Plain } from '../sandbox/protocol.ts';
import { expectFields, expectTensorClose, expectWithinInterval, type Tolerance } from '../spec/expect.ts';
import type { ExportProbes, Probe } from '../spec/mutants.ts';
import { signatureProbes } from './cases.ts';

export interface Equivalence {
  equivalent: boolean;
  /** How many cases were compared (up to the first difference). */
  cases: number;
  reason: string;
  /** The first distinguishing case: the export, its arguments, both answers. */
  difference?: { exportName: string; args: Plain[]; expected: Plain | string; actual: Plain | string };
}

/** Exact up to rounding: an equivalent rewrite may reassociate a sum. */
const TIGHT: Tolerance = { abs: 1e-12, rel: 1e-9 };

/** The small cases of each export the lab grades: the lab's own, else drawn from the signature (none for a value without the lab's). */
export function probesOf(lab: Lab, own: Record<string, ExportProbes>): Map<string, ExportProbes | undefined> {
  return new Map(lab.exports.map((e) => [e.name, own[e.name] ?? (e.kind === 'function' ? signatureProbes(e) : undefined)]));
}

/** The exports graded by `tasks`. */
const exportsOf = (lab: Lab, tasks: string[]) => [...new Set(lab.tasks.filter((t) => tasks.includes(t.id)).flatMap((t) => t.exports.map((e) => e.name)))];

type Answer = { value: Plain } | { error: string; crashed?: true };

async function answer(lab: LabClient, exportName: string, probe: Probe, probes: ExportProbes): Promise<Answer> {
  let value: Plain;
  try {
    value = probe.driver ? await lab.drive(probe.driver, exportName, ...probe.args) : await lab.call(exportName, ...probe.args);
  } catch (error) {
    const crashed = error instanceof StudentError && error.kind === 'crashed' ? { crashed: true as const } : {};
    return { error: error instanceof Error ? error.message : String(error), ...crashed };
  }
  try {
    return { value: probes.view ? probes.view(value, probe) : value };
  } catch (error) {
    return { error: `its answer could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Throws a Mismatch when `actual` is not `expected` (fields of an object one by one). */
function compare(actual: Plain, expected: Plain, what: string): void {
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected) && !isPlainTensor(expected)) {
    const fields = expectFields(actual, Object.keys(expected), what);
    for (const [name, value] of Object.entries(expected)) compare(fields[name]!, value, `${what}.${name}`);
  } else expectTensorClose(actual, expected, { what, tol: TIGHT });
}

/** Whether the mutant's answer differs from the reference's (both failing counts as the same). */
function differs(exportName: string, probe: Probe, expected: Answer, actual: Answer): boolean {
  if ('error' in expected || 'error' in actual) return !('error' in expected && 'error' in actual);
  try {
    if (probe.bounds) expectWithinInterval(actual.value, [expected.value, ...probe.bounds], { what: exportName, tol: TIGHT });
    else compare(actual.value, expected.value, exportName);
    return false;
  } catch {
    return true;
  }
}

/**
 * Compares `mutant` (a lab.ts text, run in the sandbox) with the reference on every small case of
 * the exports of `tasks` (`probes` from probesOf).
 */
export async function searchDifference(definition: Lab, probes: Map<string, ExportProbes | undefined>, mutant: string, tasks: string[], reference: LabClient): Promise<Equivalence> {
  const exportNames = exportsOf(definition, tasks);
  const unsearched = exportNames.filter((name) => !probes.get(name));
  if (unsearched.length > 0) {
    return {
      equivalent: false,
      cases: 0,
      reason: `not searched: ${unsearched.join(', ')} ${unsearched.length > 1 ? 'are values' : 'is a value'} run by a driver, and the lab's harden module gives no small cases for it; counted as a survivor`,
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'propgrade-equivalence-'));
  await writeFile(join(dir, definition.submission), mutant);
  const bundle = await bundleSubmission(join(dir, definition.submission), { entry: 'child', driver: definition.paths.driver });
  const lab = await openSandboxed(bundle, { callTimeoutMs: 5000 });
  let cases = 0;
  try {
    for (const exportName of exportNames) {
      const own = probes.get(exportName)!;
      for (const probe of own.cases()) {
        cases++;
        const expected = await answer(reference, exportName, probe, own);
        let actual = await answer(lab, exportName, probe, own);
        // The sandbox's process may die of a long search's wear (limits per process); a fresh one answers again.
        if ('crashed' in actual) actual = await answer(lab, exportName, probe, own);
        if (differs(exportName, probe, expected, actual)) {
          const shown = (a: Answer) => ('error' in a ? `error: ${a.error}` : a.value);
          return {
            equivalent: false,
            cases,
            reason: `${exportName} differs from the reference on a small case: no property found it`,
            difference: { exportName, args: probe.args, expected: shown(expected), actual: shown(actual) },
          };
        }
      }
    }
  } finally {
    await lab.close();
    await bundle.remove();
    await rm(dir, { recursive: true, force: true });
  }
  return {
    equivalent: true,
    cases,
    reason: `no difference from the reference on ${cases} small cases: ${exportNames.map((name) => `${name}: ${probes.get(name)!.covers}`).join('; ')}`,
  };
}
