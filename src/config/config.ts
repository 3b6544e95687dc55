/**
 * The course config: `propgrade.config.json`, found from the working folder upward (the first one
 * wins). Every setting has a default equal to propgrade's behaviour without a config, and
 * `propgrade config` prints each setting in force with where it came from.
 *
 *   {
 *     "lab": "labs/attention",                 // the lab every command uses without --lab
 *     "runs": 50,                              // cases per generated property (default: each property's own)
 *     "callTimeoutMs": 2000,                   // one call of the student's code
 *     "heapMb": 128,                           // the student's process V8 heap
 *     "requireLayers": ["net-namespace", "user-nobody"], // grading refuses to run without these sandbox layers
 *     "hiddenVisibility": "after_published",   // Gradescope visibility of hidden properties' results
 *     "secret": { "env": "PROPGRADE_SECRET", "file": "/etc/course/propgrade-secret" }
 *   }
 *
 * Paths in the config are relative to the config's own folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CallerError } from '../errors.ts';
import { LAYERS, unknownLayers } from '../sandbox/layers.ts';

export const CONFIG_FILE = 'propgrade.config.json';

export type GradescopeVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';
const VISIBILITIES: GradescopeVisibility[] = ['hidden', 'after_due_date', 'after_published', 'visible'];

export interface Settings {
  /** The lab's folder (absolute), or undefined: the bundled RNN lab. */
  lab?: string;
  runs?: number;
  callTimeoutMs: number;
  heapMb: number;
  /** Sandbox layers grading may not run without (src/sandbox/layers.ts); default none beyond the strongest this machine proves it runs. */
  requireLayers?: string[];
  hiddenVisibility: GradescopeVisibility;
  /** Where the course secret comes from: an environment variable first, then a file. */
  secret: { env: string; file?: string };
}

export const DEFAULTS: Settings = {
  callTimeoutMs: 2000,
  heapMb: 128,
  hiddenVisibility: 'after_published',
  secret: { env: 'PROPGRADE_SECRET' },
};

export interface Config {
  settings: Settings;
  /** The config file read, if any. */
  file?: string;
  /** Each setting's origin: the config file, or `default`. */
  origins: Record<keyof Settings, string>;
}

/** A config that cannot be used: the caller's to fix (a usage error). */
export class ConfigError extends CallerError {
  override name = 'ConfigError';
}

/** The nearest propgrade.config.json at or above `cwd`. */
export function findConfig(cwd = process.cwd()): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

const cache = new Map<string, Config>();

/** The settings in force for a process working in `cwd` (read once per folder). */
export function loadConfig(cwd = process.cwd()): Config {
  const file = findConfig(cwd);
  const key = file ?? '';
  const known = cache.get(key);
  if (known) return known;
  const config = file ? readConfig(file) : { settings: { ...DEFAULTS }, origins: defaultOrigins() };
  cache.set(key, config);
  return config;
}

const defaultOrigins = (): Config['origins'] => ({ lab: 'default', runs: 'default', callTimeoutMs: 'default', heapMb: 'default', requireLayers: 'default', hiddenVisibility: 'default', secret: 'default' });

function readConfig(file: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: not readable JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: must hold one JSON object`);
  const given = raw as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(given).filter((k) => !(k in defaultOrigins()));
  if (unknown.length > 0) problems.push(`unknown setting(s) ${unknown.join(', ')} (known: ${Object.keys(defaultOrigins()).join(', ')})`);
  const settings: Settings = { ...DEFAULTS, secret: { ...DEFAULTS.secret } };
  const origins = defaultOrigins();
  const here = dirname(file);
  const positive = (key: 'runs' | 'callTimeoutMs' | 'heapMb') => {
    const value = given[key];
    if (value === undefined) return;
    if (!Number.isSafeInteger(value) || (value as number) < 1) problems.push(`${key} must be a whole number of at least 1, got ${JSON.stringify(value)}`);
    else {
      settings[key] = value as number;
      origins[key] = file;
    }
  };
  if (given.lab !== undefined) {
    if (typeof given.lab !== 'string') problems.push(`lab must be a folder, got ${JSON.stringify(given.lab)}`);
    else [settings.lab, origins.lab] = [resolve(here, given.lab), file];
  }
  positive('runs');
  positive('callTimeoutMs');
  positive('heapMb');
  if (given.requireLayers !== undefined) {
    const names = given.requireLayers;
    if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) problems.push(`requireLayers must be a list of layer names, got ${JSON.stringify(names)}`);
    else if (unknownLayers(names).length > 0) problems.push(`requireLayers: unknown layer(s) ${unknownLayers(names).join(', ')} (known: ${LAYERS.join(', ')})`);
    else [settings.requireLayers, origins.requireLayers] = [names, file];
  }
  if (given.hiddenVisibility !== undefined) {
    if (!VISIBILITIES.includes(given.hiddenVisibility as GradescopeVisibility)) problems.push(`hiddenVisibility must be one of ${VISIBILITIES.join(', ')}, got ${JSON.stringify(given.hiddenVisibility)}`);
    else [settings.hiddenVisibility, origins.hiddenVisibility] = [given.hiddenVisibility as GradescopeVisibility, file];
  }
  if (given.secret !== undefined) {
    const secret = given.secret as { env?: unknown; file?: unknown };
    if (typeof secret !== 'object' || secret === null || (secret.env !== undefined && typeof secret.env !== 'string') || (secret.file !== undefined && typeof secret.file !== 'string')) {
      problems.push('secret must be { "env": NAME, "file": PATH } (either may be left out)');
    } else {
      settings.secret = { env: secret.env ?? DEFAULTS.secret.env, ...(secret.file === undefined ? {} : { file: resolve(here, secret.file) }) };
      origins.secret = file;
    }
  }
  if (problems.length > 0) throw new ConfigError(`${file}: ${problems.join('; ')}`);
  return { settings, file, origins };
}
