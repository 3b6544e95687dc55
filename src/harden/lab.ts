/**
 * What harden takes from the lab beyond its tasks and signatures: its harden module (the
 * definition's `harden` path, staff only; `defineHarden` from propgrade/spec), with the lab's own
 * mutation operators and the equivalence search's small cases for the exports that need them.
 */
import { pathToFileURL } from 'node:url';
import type { Lab } from '../lab/load.ts';
import { LabError } from '../lab/load.ts';
import { defineHarden, type ExportProbes, type MutantOperator } from '../spec/mutants.ts';
import { GENERIC_OPERATORS } from './mutants/index.ts';

export interface LabHarden {
  /** The lab's own operators, then the generic ones (a mutant both plant keeps the lab's name). */
  operators: MutantOperator[];
  probes: Record<string, ExportProbes>;
}

export async function labHarden(lab: Lab): Promise<LabHarden> {
  if (lab.definition.harden !== undefined && !lab.paths.harden) throw new LabError(`lab '${lab.id}': its harden module ${lab.definition.harden} is missing`);
  let own: ReturnType<typeof defineHarden> = {};
  if (lab.paths.harden) {
    const module = (await import(pathToFileURL(lab.paths.harden).href)) as { default?: unknown };
    if (typeof module.default !== 'object' || module.default === null) throw new LabError(`${lab.paths.harden} does not default-export defineHarden({...})`);
    try {
      own = defineHarden(module.default);
    } catch (error) {
      throw new LabError(`${lab.paths.harden}: ${(error as Error).message}`);
    }
  }
  const clash = (own.operators ?? []).filter((o) => GENERIC_OPERATORS.some((g) => g.id === o.id));
  if (clash.length > 0) throw new LabError(`${lab.paths.harden}: operator ${clash.map((o) => o.id).join(', ')} has the id of a generic operator`);
  const unknown = Object.keys(own.probes ?? {}).filter((name) => !lab.exports.some((e) => e.name === name));
  if (unknown.length > 0) throw new LabError(`${lab.paths.harden}: probes for ${unknown.join(', ')}, which no task grades`);
  return { operators: [...(own.operators ?? []), ...GENERIC_OPERATORS], probes: own.probes ?? {} };
}
