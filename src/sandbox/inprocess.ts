/**
 * The in-process transport, for trusted modules only (the reference solution, the project's own
 * tests): the same bundle and harness as the sandbox, imported into this process.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { once } from '../memo.ts';
import { bundleSubmission } from './build.ts';
import { labClient } from './client.ts';
import type { LabClient, Request, Response } from './protocol.ts';

export async function openInProcess(labPath: string, options: { driver?: string } = {}): Promise<LabClient> {
  const bundle = await bundleSubmission(labPath, { entry: 'inprocess', ...options });
  try {
    const { handle } = (await import(pathToFileURL(bundle.file).href)) as { handle: (r: Request) => Promise<Response> };
    return labClient(handle, undefined, bundle.frames);
  } finally {
    // Once imported, the module lives in memory: the folder can go now, whoever forgets close().
    await bundle.remove();
  }
}

const shared = new Map<string, Promise<LabClient>>();

/**
 * A lab's own module (its reference, its oracle) opened once per process while its file is
 * unchanged: each opening builds a bundle and imports a copy of it, engine included, that memory
 * never gives back, and runs it with a cold JIT. A warm grader grades many submissions against the
 * same reference. Such a module must answer the same whatever it was asked before (the lab
 * authors' guide says so); its client's close() does nothing.
 */
export function openShared(labPath: string, options: { driver?: string } = {}): Promise<LabClient> {
  const file = resolve(labPath);
  const { mtimeMs, size } = statSync(file);
  const key = JSON.stringify([file, mtimeMs, size, options.driver === undefined ? null : resolve(options.driver)]);
  return once(shared, key, () => openInProcess(file, options));
}
