/** Shared option parsing for the commands: node's parseArgs with errors a user can act on. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

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
