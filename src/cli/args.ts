/** Shared option parsing for the commands: node's parseArgs with errors a user can act on. */
import { relative } from 'node:path';
import { CallerError } from '../errors.ts';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A wrong command line (exit 2). */
export class UsageError extends CallerError {
  override name = 'UsageError';
}

export function parseCommand<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`propgrade ${command}: ${(error as Error).message}\nusage: ${usage}`);
  }
}

/** An integer option, or `fallback` when absent; a clear error when it is not an integer. */
export function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} takes a whole number, got '${value}'`);
  return n;
}

/** `--seed N`: any whole number, or undefined when absent. */
export const seedOption = (value: string | undefined) => (value === undefined ? undefined : intOption('seed', value, 0));

/** `--runs N`: cases per generated property, at least 1, or undefined when absent. */
export function runsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const runs = intOption('runs', value, 0);
  if (runs < 1) throw new UsageError(`--runs takes a whole number of at least 1, got '${value}'`);
  return runs;
}

/** A path as the reader would type it: relative inside the working folder, absolute outside. */
export function displayPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside === '' ? '.' : inside.startsWith('..') ? path : inside;
}
