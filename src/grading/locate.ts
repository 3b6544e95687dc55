/** Where a submission's lab.ts is: `propgrade grade`, `check` and `lint` take the same forms. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/** `submission` is a folder holding `fileName` (the lab's submission file), or the file itself; the reason when there is none. */
export async function locateLab(submission: string, fileName = 'lab.ts'): Promise<{ file: string } | { missing: string }> {
  const info = await stat(submission).catch(() => undefined);
  if (!info) return { missing: `The submission '${submission}' does not exist.` };
  const file = info.isDirectory() ? join(submission, fileName) : submission;
  if (info.isDirectory() && !(await stat(file).catch(() => undefined))?.isFile()) {
    return { missing: `There is no ${fileName} in '${submission}': a submission is a folder holding ${fileName} (or the path of that file).` };
  }
  return { file };
}
