/**
 * Loading a lab: a folder whose `index.ts` default-exports `defineLab({...})`. The framework knows
 * no lab of its own; every command takes one (`--lab DIR`, default the bundled recurrent-network
 * lab). Staff load it with its hidden properties; a student's check (and the student kit, which
 * does not hold them) loads the public part only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../config/config.ts';
import { CallerError } from '../errors.ts';
import { once } from '../memo.ts';
import type { HiddenProperties } from '../spec/define.ts';
import type { Export } from '../spec/signature.ts';
import type { GraphView, LabDefinition, TaskSpec, WrittenQuestion } from '../spec/types.ts';

/** Where the bundled labs live: one folder each. */
export const BUNDLED_LABS = fileURLToPath(new URL('../../specs/', import.meta.url));
/** The lab every command grades unless told otherwise (CONTRACT section 6). */
export const DEFAULT_LAB = join(BUNDLED_LABS, 'rnn');
/** The lab of a command without --lab: the course config's, else the default. */
export const configuredLab = (): string => loadConfig().settings.lab ?? DEFAULT_LAB;

export interface Lab {
  /** The lab's folder, absolute. */
  dir: string;
  id: string;
  title: string;
  /** The submission's file name (`lab.ts`). */
  submission: string;
  /** Every task, in the lab's order; with the hidden properties when loaded with `hidden`. */
  tasks: TaskSpec[];
  /** Whether the hidden properties were loaded. */
  withHidden: boolean;
  /** Every export the tasks grade, each once. */
  exports: Export[];
  /** Absolute paths of the lab's parts; a part the lab does not have, or that is not on disk (the student kit), is undefined. */
  paths: { reference?: string; template?: string; guide?: string; corpus?: string; driver?: string; oracle?: string; harden?: string };
  /** The names the lab's driver module exports. */
  drivers: string[];
  graphs: GraphView[];
  questions: WrittenQuestion[];
  definition: LabDefinition;
  /** The task of this id; an error listing the lab's tasks when there is none. */
  task(id: string): TaskSpec;
}

/** A lab's folder is wrong, or its definition is: not the student's fault, and said plainly. */
export class LabError extends CallerError {
  override name = 'LabError';
}

const cache = new Map<string, Promise<Lab>>();

/** The lab in `dir` (default: the course config's, else the bundled RNN lab), loaded once per process for each `hidden`. */
export function loadLab(dir: string = configuredLab(), { hidden = true }: { hidden?: boolean } = {}): Promise<Lab> {
  const folder = resolve(dir);
  return once(cache, `${folder}\u0000${hidden}`, () => load(folder, hidden));
}

async function load(dir: string, hidden: boolean): Promise<Lab> {
  const entry = join(dir, 'index.ts');
  if (!existsSync(entry)) throw new LabError(`${dir} is not a lab: it has no index.ts (a lab folder's index.ts default-exports defineLab({...}))`);
  const manifest = packageOf(dir);
  if (manifest?.type !== 'module') {
    throw new LabError(`${dir}: a lab is ES modules, but ${manifest ? `${manifest.path} does not say "type": "module"` : 'no package.json above it says "type": "module"'} (add one beside the lab)`);
  }
  const definition = (await import(pathToFileURL(entry).href)).default as LabDefinition | undefined;
  if (!isLab(definition)) throw new LabError(`${entry} does not default-export a lab (export default defineLab({...}))`);
  const part = (path: string | undefined) => (path === undefined ? undefined : join(dir, path));
  const onDisk = (path: string | undefined) => (path !== undefined && existsSync(path) ? path : undefined);
  const paths = {
    reference: onDisk(part(definition.reference)),
    template: onDisk(part(definition.template)),
    guide: onDisk(part(definition.guide)),
    corpus: onDisk(part(definition.corpus)),
    driver: onDisk(part(definition.driver)),
    oracle: onDisk(part(definition.oracle)),
    harden: onDisk(part(definition.harden)),
  };
  if (definition.driver !== undefined && !paths.driver) throw new LabError(`lab '${definition.id}': its driver module ${part(definition.driver)} is missing`);
  const drivers = paths.driver ? Object.keys(await import(pathToFileURL(paths.driver).href)) : [];

  let tasks = definition.tasks;
  if (hidden) {
    const module = onDisk(part(definition.hidden));
    if (definition.hidden !== undefined && !module) {
      throw new LabError(`lab '${definition.id}': its hidden properties (${part(definition.hidden)}) are not here (a student kit holds only the public ones)`);
    }
    if (module) tasks = withHiddenProperties(definition, (await import(pathToFileURL(module).href)).default as HiddenProperties);
  }
  const exports = [...new Map(tasks.flatMap((t) => t.exports).map((e) => [e.name, e])).values()];
  return {
    dir,
    id: definition.id,
    title: definition.title,
    submission: definition.submission ?? 'lab.ts',
    tasks,
    withHidden: hidden,
    exports,
    paths,
    drivers,
    graphs: definition.graphs ?? [],
    questions: definition.questions ?? [],
    definition,
    task(id) {
      const task = tasks.find((t) => t.id === id);
      if (!task) throw new LabError(`lab '${definition.id}' has no task '${id}' (tasks: ${tasks.map((t) => t.id).join(', ')})`);
      return task;
    },
  };
}

/** The nearest package.json at or above `dir`, with its module type. */
function packageOf(dir: string): { path: string; type?: string } | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const path = join(at, 'package.json');
    if (existsSync(path)) return { path, type: (JSON.parse(readFileSync(path, 'utf8')) as { type?: string }).type };
    if (dirname(at) === at) return undefined;
  }
}

const isLab = (value: unknown): value is LabDefinition =>
  typeof value === 'object' && value !== null && typeof (value as LabDefinition).id === 'string' && Array.isArray((value as LabDefinition).tasks);

/** Each task with its hidden properties after its public ones; a hidden property of no task is an error. */
function withHiddenProperties(lab: LabDefinition, byTask: HiddenProperties): TaskSpec[] {
  const unknown = Object.keys(byTask ?? {}).filter((id) => !lab.tasks.some((t) => t.id === id));
  if (unknown.length > 0) throw new LabError(`lab '${lab.id}': hidden properties for unknown task(s) ${unknown.join(', ')}`);
  return lab.tasks.map((task) => {
    const extra = byTask[task.id] ?? [];
    const clash = extra.find((p) => task.properties.some((q) => q.id === p.id));
    if (clash) throw new LabError(`lab '${lab.id}', task '${task.id}': property '${clash.id}' is both public and hidden`);
    return { ...task, properties: [...task.properties, ...extra] };
  });
}

/** The bundled labs: each folder under specs/ whose index.ts default-exports a lab. */
export async function bundledLabs(): Promise<string[]> {
  const folders: string[] = [];
  for (const entry of await readdir(BUNDLED_LABS, { withFileTypes: true })) {
    const dir = join(BUNDLED_LABS, entry.name);
    if (!entry.isDirectory() || !existsSync(join(dir, 'index.ts')) || !statSync(join(dir, 'index.ts')).isFile()) continue;
    const module = await import(pathToFileURL(join(dir, 'index.ts')).href);
    if (isLab(module.default)) folders.push(dir);
  }
  return folders.sort();
}
