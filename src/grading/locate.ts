/** Where a submission's lab.ts is: `propgrade grade`, `check` and `lint` take the same forms. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/** `submission` is a folder holding lab.ts, or the file itself; the reason when there is none. */
export async function locateLab(submission: string): Promise<{ file: string } | { missing: string }> {
  const info = await stat(submission).catch(() => undefined);
  if (!info) return { missing: `The submission '${submission}' does not exist.` };
  const file = info.isDirectory() ? join(submission, 'lab.ts') : submission;
  if (info.isDirectory() && !(await stat(file).catch(() => undefined))?.isFile()) {
    return { missing: `There is no lab.ts in '${submission}': a submission is a folder holding lab.ts (or the path of that file).` };
  }
  return { file };
}
