/**
 * The student kit: a folder a course publishes as it is (a template repository, a zip). Copied
 * anywhere, `npm install` then `npx propgrade check` works in it, with nothing from the staff
 * repository and no registry package named propgrade:
 *
 *   lab.ts                    the template
 *   README.md                 the students' guide
 *   package.json              depends on propgrade through the tarball beside it
 *   propgrade.config.json     points `check` at the lab's public part
 *   propgrade-lab/            the lab's public files (its definition, public tasks, generators, driver)
 *   vendor/propgrade-V.tgz    the framework: the engine, `check` and what it needs, nothing else
 *
 * The tarball's dependencies are the few `check` needs (no TensorFlow.js, Stryker or Playwright).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { PROJECT_ROOT } from '../gradescope/package.ts';
import type { Lab } from '../lab/load.ts';
import { filesUnder, type LabFiles } from './files.ts';

/** What `check` imports, and nothing more: the kit's install stays small. */
const KIT_DEPENDENCIES = ['esbuild', 'fast-check', 'istanbul-lib-coverage', 'ts-morph', 'tsx'];
/**
 * The framework files the tarball holds (built first: dist/ has the engine, the declarations and the
 * sandbox's no-sockets launcher where a C compiler was). Not dist/cli: the kit runs check from source.
 */
const FRAMEWORK = ['bin', 'src', 'generators', 'dist/autograd.js', 'dist/types', 'dist/no-sockets'];
export const KIT_LAB = 'propgrade-lab';

interface Manifest {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  [key: string]: unknown;
}

export interface Kit {
  dir: string;
  /** Every file of the kit folder (the lab's public part, template, guide, manifests), for the leak check. */
  files: string[];
  /** Every file of the framework as packed: the engine and check, which know no lab (wall 3), checked for the secret. */
  framework: string[];
  /** The staged framework folder the tarball was packed from (removed by `dispose`). */
  staged: string;
  tarball: string;
  dispose(): Promise<void>;
}

export async function buildKit(lab: Lab, files: LabFiles, template: string, outDir: string): Promise<Kit> {
  const dir = join(outDir, 'student');
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'vendor'), { recursive: true });
  const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Manifest;

  // The framework, staged as a package of its own and packed by npm (what a registry would hold).
  const staged = await mkdtemp(join(tmpdir(), 'propgrade-kit-package-'));
  for (const path of FRAMEWORK.filter((path) => existsSync(join(PROJECT_ROOT, path))))
    await cp(join(PROJECT_ROOT, path), join(staged, path), { recursive: true, filter: (src) => !/\.map$|\.tmp$/.test(src) });
  const dependencies = Object.fromEntries(KIT_DEPENDENCIES.map((name) => [name, manifest.dependencies[name]!]));
  const { scripts: _scripts, devDependencies: _dev, optionalDependencies: _optional, files: _files, private: _private, ...kept } = manifest;
  await writeFile(join(staged, 'package.json'), `${JSON.stringify({ ...kept, dependencies, description: `${manifest.description ?? ''} (student kit: the engine and check)` }, null, 2)}\n`);
  await writeFile(join(staged, 'README.md'), `# propgrade (student kit)\n\nThe autograd engine (\`propgrade/autograd\`) and \`propgrade check\`, as the course ships them.\n`);
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', join(dir, 'vendor')], { cwd: staged, encoding: 'utf8' }).trim().split('\n').pop()!;
  const tarball = join(dir, 'vendor', basename(packed));

  // The lab's public part, at the same relative paths.
  for (const file of files.public) {
    const to = join(dir, KIT_LAB, relative(lab.dir, file));
    await mkdir(dirname(to), { recursive: true });
    await cp(file, to);
  }
  await writeFile(join(dir, lab.submission), template);
  if (lab.paths.guide) await cp(lab.paths.guide, join(dir, 'README.md'));
  await writeFile(join(dir, 'propgrade.config.json'), `${JSON.stringify({ lab: KIT_LAB }, null, 2)}\n`);
  await writeFile(join(dir, '.gitignore'), 'node_modules/\nreports/\n');
  const kitManifest = {
    name: `${lab.id}-lab`,
    private: true,
    type: 'module',
    description: `${lab.title}: your ${lab.submission}, and propgrade check to test it`,
    scripts: { check: 'propgrade check' },
    dependencies: { propgrade: `file:vendor/${basename(tarball)}` },
  };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(kitManifest, null, 2)}\n`);
  return {
    dir,
    files: filesUnder(dir).filter((f) => f !== tarball),
    framework: filesUnder(staged),
    staged,
    tarball,
    dispose: () => rm(staged, { recursive: true, force: true }),
  };
}
