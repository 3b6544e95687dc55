/**
 * Stryker's generic mutants of the reference (its mutators: arithmetic, equality, conditional,
 * block, string, boolean... operators), made by Stryker's instrumenter and graded through the same
 * warm workers as the domain mutants, each with its killing properties and its baseline. Stryker's
 * own test run is not needed for that, and took most of a minute (`npx stryker run
 * stryker.config.mjs` still runs it, the spec suite of test/stryker as its tests).
 */
import { readFile } from 'node:fs/promises';
import type { Lab } from '../lab/load.ts';
import { CallerError } from '../errors.ts';
import { mutantOf, parseLab, type Mutant } from './mutants/index.ts';

/** The parts of a mutant of Stryker's instrumenter read here (0-based lines and columns). */
interface StrykerMutant {
  id: string;
  mutatorName: string;
  replacement: string;
  location: { start: Position; end: Position };
}
interface Position {
  line: number;
  column: number;
}

/** Stryker is a dev dependency: a clear message where it is not installed (npm ci --omit=dev). */
async function instrumenter() {
  try {
    return (await import('@stryker-mutator/instrumenter')).Instrumenter;
  } catch (error) {
    throw new CallerError(`Stryker's instrumenter is not installed (a dev dependency: run npm ci without --omit=dev, or pass --no-stryker): ${(error as Error).message}`);
  }
}

const quiet = () => {};
/** Stryker's logger interface, silent but for warnings and errors. */
const logger = {
  isTraceEnabled: () => false,
  isDebugEnabled: () => false,
  isInfoEnabled: () => false,
  isWarnEnabled: () => true,
  isErrorEnabled: () => true,
  isFatalEnabled: () => true,
  trace: quiet,
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: quiet,
  fatal: quiet,
};

/** Stryker's mutants of `source` (the lab's reference by default), as mutants with a diff and the tasks they touch. */
export async function strykerMutants(lab: Lab, source?: string): Promise<Mutant[]> {
  if (!lab.paths.reference) throw new Error(`lab '${lab.id}' has no reference solution to mutate`);
  const text = source ?? (await readFile(lab.paths.reference, 'utf8'));
  const Instrumenter = await instrumenter();
  const { mutants } = await new Instrumenter(logger as never).instrument([{ name: lab.paths.reference, content: text, mutate: true }], {
    plugins: null,
    excludedMutations: [],
    ignorers: [],
    noHeader: true,
  });
  const parsed = parseLab(text);
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
  const offset = ({ line, column }: Position) => lineStarts[line]! + column;
  return (mutants as readonly StrykerMutant[])
    .filter((m) => m.replacement !== undefined)
    .map((m) => ({
      ...mutantOf(text, [{ start: offset(m.location.start), end: offset(m.location.end), text: m.replacement }], lab.tasks, parsed),
      id: `stryker#${Number(m.id) + 1}`,
      operator: `stryker:${m.mutatorName}`,
      title: `Stryker's ${m.mutatorName} mutator`,
      source: 'stryker' as const,
    }));
}
