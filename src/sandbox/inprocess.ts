/**
 * The in-process transport, for trusted modules only (the reference solution, the project's own
 * tests): the same bundle and harness as the sandbox, imported into this process.
 */
import { pathToFileURL } from 'node:url';
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
