/**
 * Which files of a lab folder are public and which are hidden, from the lab's own definition: the
 * public ones are what its definition (index.ts) and its driver import, transitively; the hidden
 * ones are its reference, its hidden, oracle and harden modules and what they import beyond the
 * public files, and its corpus. Found with esbuild's import graph (every package left out).
 */
import { build, type Plugin } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Lab } from '../lab/load.ts';

/** Files of the lab folder that `entries` reach (absolute paths, sorted). */
export async function importClosure(labDir: string, entries: string[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const packagesOutside: Plugin = {
    name: 'packages-outside',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
    },
  };
  const result = await build({ entryPoints: entries, bundle: true, write: false, metafile: true, outdir: '/nowhere', format: 'esm', platform: 'node', logLevel: 'silent', plugins: [packagesOutside] });
  const cwd = process.cwd();
  return Object.keys(result.metafile.inputs)
    .map((input) => resolve(cwd, input))
    .filter((file) => !relative(labDir, file).startsWith('..'))
    .sort();
}

/** Every file under `dir` (absolute paths). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export interface LabFiles {
  /** What students may have: the definition, its tasks, generators and driver. */
  public: string[];
  /** What they must never have: the reference, hidden properties, staff modules, the corpus. */
  hidden: string[];
}

export async function labFiles(lab: Lab): Promise<LabFiles> {
  const definition = join(lab.dir, 'index.ts');
  const publicFiles = await importClosure(lab.dir, [definition, ...(lab.paths.driver ? [lab.paths.driver] : [])]);
  const part = (path: string | undefined) => (path === undefined ? undefined : join(lab.dir, path));
  const staff = [part(lab.definition.hidden), lab.paths.oracle, lab.paths.harden].filter((p): p is string => p !== undefined && existsSync(p));
  const staffClosure = await importClosure(lab.dir, staff);
  const hidden = new Set([...staffClosure.filter((f) => !publicFiles.includes(f)), ...(lab.paths.reference ? [lab.paths.reference] : []), ...filesUnder(lab.paths.corpus ?? '')]);
  const leaking = publicFiles.filter((f) => hidden.has(f));
  if (leaking.length > 0) throw new Error(`lab '${lab.id}': its public definition imports hidden files: ${leaking.map((f) => relative(lab.dir, f)).join(', ')}`);
  return { public: publicFiles, hidden: [...hidden].sort() };
}
