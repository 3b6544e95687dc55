/**
 * The Gradescope autograder archive of one lab: `setup.sh` and `run_autograder` at the root
 * (Gradescope's convention), the framework files grading needs and the lab's folder with its hidden
 * properties and reference (this zip goes to Gradescope only, never to students), node_modules never
 * (setup.sh installs it). `LAB_FILE` names the lab's folder inside the archive for run_autograder.
 * The course secret goes in too, so seeds on Gradescope are the seeds staff replay locally.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Lab } from '../lab/load.ts';
import { fileURLToPath } from 'node:url';
import { gradingSecret, SECRET_FILE } from '../grading/seed.ts';
import { fallbackResults } from '../reports/results.ts';
import { zip, type ZipEntry } from './zip.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What grading needs besides the lab, relative to the project root. */
const FOLDERS = ['bin', 'src', 'generators', 'scripts'];
/** The file in the archive that holds the lab's folder (relative to the archive's root). */
export const LAB_FILE = 'autograder-lab';
/** The not-graded results.json run_autograder copies when `grade` left none (src/reports/results.ts fallbackResults). */
export const FALLBACK_FILE = 'not-graded-results.json';
const FILES = ['package.json', 'package-lock.json', 'tsconfig.json'];
/** Build output, caches and leftovers, wherever they sit. */
const SKIP = /^(node_modules|dist|coverage|\.stryker-tmp|\.partial)$|\.(log|tmp)$/;
const HERE = fileURLToPath(new URL('.', import.meta.url));

export async function autograderEntries(lab: Lab, root = PROJECT_ROOT): Promise<ZipEntry[]> {
  // A lab inside the project keeps its path (it may import the project's other labs' helpers); one outside goes to labs/<id>.
  const inside = !relative(root, lab.dir).startsWith('..');
  const labPath = inside ? relative(root, lab.dir).split(sep).join('/') : `labs/${lab.id}`;
  const entries: ZipEntry[] = [
    { name: LAB_FILE, data: Buffer.from(`${labPath}\n`), mode: 0o644 },
    { name: FALLBACK_FILE, data: Buffer.from(`${JSON.stringify(fallbackResults(lab.tasks), null, 2)}\n`), mode: 0o644 },
    { name: 'setup.sh', data: await readFile(join(HERE, 'setup.sh')), mode: 0o755 },
    { name: 'run_autograder', data: await readFile(join(HERE, 'run_autograder')), mode: 0o755 },
    { name: basename(SECRET_FILE), data: Buffer.from(`${gradingSecret()}\n`), mode: 0o600 },
  ];
  for (const file of FILES) entries.push(await entry(root, join(root, file)));
  for (const folder of FOLDERS) {
    for (const file of await walk(join(root, folder))) entries.push(await entry(root, file));
  }
  for (const file of await walk(lab.dir)) entries.push({ ...(await entry(lab.dir, file)), name: `${labPath}/${relative(lab.dir, file).split(sep).join('/')}` });
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function autograderZip(lab: Lab, root = PROJECT_ROOT): Promise<Buffer> {
  return zip(await autograderEntries(lab, root));
}

async function entry(root: string, file: string): Promise<ZipEntry> {
  const executable = ((await stat(file)).mode & 0o111) !== 0;
  return { name: relative(root, file).split(sep).join('/'), data: await readFile(file), mode: executable ? 0o755 : 0o644 };
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (SKIP.test(e.name)) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) found.push(...(await walk(path)));
    else if (e.isFile()) found.push(path);
  }
  return found;
}
