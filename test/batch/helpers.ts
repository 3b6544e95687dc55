/** A small class on disk (removed after the file's tests) and what a batch over it must reproduce. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp.ts';

export { tempDir };
export { fakeBatch } from './fake.ts';

/** `lab.ts` contents by folder name; null makes a folder with no lab.ts. */
export async function makeClass(students: Record<string, string | null>): Promise<string> {
  const dir = await tempDir('class');
  for (const [name, lab] of Object.entries(students)) {
    await mkdir(join(dir, name), { recursive: true });
    if (lab !== null) await writeFile(join(dir, name, 'lab.ts'), lab);
  }
  return dir;
}

/** The files a batch must reproduce byte for byte. */
export async function reproducible(outDir: string): Promise<{ json: string; csv: string }> {
  return { json: await readFile(join(outDir, 'summary.json'), 'utf8'), csv: await readFile(join(outDir, 'summary.csv'), 'utf8') };
}
