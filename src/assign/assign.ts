/**
 * `propgrade assign`: from a lab's definition and its reference, the student kit (kit.ts) and the
 * Gradescope autograder zip, checked before anything is handed out (as otter assign checks its
 * solutions): the kit holds nothing hidden (leaks.ts), the template declares the lab's exports with
 * their signatures (template.ts), the reference passes every public property through the kit's lab,
 * and the zip, run as Gradescope runs it, grades the reference to full marks.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gradeSubmission } from '../grading/grade.ts';
import { gradingSecret } from '../grading/seed.ts';
import { autograderZip, PROJECT_ROOT } from '../gradescope/package.ts';
import { unzip } from '../gradescope/zip.ts';
import { loadLab, type Lab } from '../lab/load.ts';
import { writeAtomic } from '../reports/write.ts';
import { labFiles } from './files.ts';
import { buildKit, KIT_LAB } from './kit.ts';
import { findLeaks, hiddenNeedles, type Leak } from './leaks.ts';
import { stubSolutions, templateProblems } from './template.ts';

export interface AssignOptions {
  /** Check the reference through the kit's lab and through the zip (default true). */
  verify?: boolean;
  log?: (line: string) => void;
}

export interface Assignment {
  kit: string;
  zip: string;
  /** What went wrong: leaks, template problems, a reference that did not pass. Empty: ready to hand out. */
  problems: string[];
  leaks: Leak[];
  /** The kit's files as students get them, and the size of the tarball. */
  kitFiles: number;
  tarballBytes: number;
}

export async function assign(lab: Lab, outDir: string, options: AssignOptions = {}): Promise<Assignment> {
  const log = options.log ?? (() => {});
  if (!lab.withHidden) throw new Error('assign needs the lab with its hidden properties (to check that none leaks)');
  if (!lab.paths.reference) throw new Error(`lab '${lab.id}' has no reference solution at ${lab.definition.reference}`);
  const problems: string[] = [];
  const reference = await readFile(lab.paths.reference, 'utf8');
  const template = lab.paths.template ? await readFile(lab.paths.template, 'utf8') : stubSolutions(reference, lab.paths.reference);
  problems.push(...templateProblems(template, lab.exports));
  for (const q of lab.questions) if (!new RegExp(`/\\*\\s*ANSWER\\s+${q.id}\\b`).test(template)) problems.push(`the template has no ANSWER ${q.id} block for the written question '${q.id}'`);

  log('building the engine and its declarations');
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts/build.mjs')], { stdio: 'pipe' });
  const files = await labFiles(lab);
  const kit = await buildKit(lab, files, template, outDir);
  let leaks: Leak[];
  try {
    const secret = gradingSecret();
    leaks = [...findLeaks(kit.files, kit.dir, hiddenNeedles(lab, files, template, secret)), ...findLeaks(kit.framework, kit.staged, [{ needle: secret, what: 'the course secret' }])];
  } finally {
    await kit.dispose();
  }
  for (const leak of leaks) problems.push(`the kit would leak ${leak.what} (in ${leak.file})`);
  log(`student kit: ${kit.dir} (${leaks.length} leak(s))`);

  const zip = join(outDir, 'autograder.zip');
  await mkdir(outDir, { recursive: true });
  await writeAtomic(zip, await autograderZip(lab));
  log(`autograder: ${zip}`);

  if (options.verify !== false && leaks.length === 0) {
    log("grading the reference through the kit's lab (public properties)");
    problems.push(...(await referenceThroughKit(lab, kit.dir)));
    log('grading the reference through the autograder zip, as Gradescope runs it');
    problems.push(...(await referenceThroughZip(lab, zip)));
  }
  return { kit: kit.dir, zip, problems, leaks, kitFiles: kit.files.length + kit.framework.length, tarballBytes: (await stat(kit.tarball)).size };
}

/** The reference, checked by the kit's own lab folder: every public property must pass. */
async function referenceThroughKit(lab: Lab, kit: string): Promise<string[]> {
  const kitLab = await loadLab(join(kit, KIT_LAB), { hidden: false });
  const report = await gradeSubmission(lab.paths.reference!, { lab: kitLab, visibility: 'public', crossCheck: false, seed: 1 });
  return report.tasks.flatMap((t) => t.properties.filter((p) => !p.passed).map((p) => `through the kit, the reference fails ${t.task} › ${p.property}: ${p.message.split('\n')[0]}`));
}

/** The zip unpacked in a Gradescope-like layout (its node_modules linked), run_autograder on the reference: full marks. */
async function referenceThroughZip(lab: Lab, zip: string): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'propgrade-assign-autograder-'));
  try {
    const source = join(root, 'source');
    for (const entry of unzip(await readFile(zip))) {
      const file = join(source, entry.name);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, entry.data);
      await chmod(file, entry.mode ?? 0o644);
    }
    await symlink(join(PROJECT_ROOT, 'node_modules'), join(source, 'node_modules'));
    execFileSync(process.execPath, ['scripts/build.mjs', '--engine-only'], { cwd: source, stdio: 'pipe' });
    await mkdir(join(root, 'submission'), { recursive: true });
    await writeFile(join(root, 'submission', lab.submission), await readFile(lab.paths.reference!));
    execFileSync(join(source, 'run_autograder'), { env: { ...process.env, AUTOGRADER_ROOT: root }, stdio: 'pipe' });
    const results = JSON.parse(await readFile(join(root, 'results', 'results.json'), 'utf8')) as { score: number; tests: { max_score: number; score: number; name: string }[] };
    const max = results.tests.reduce((s, t) => s + t.max_score, 0);
    const failing = results.tests.filter((t) => t.score < t.max_score).map((t) => t.name);
    return results.score >= max - 1e-9 && failing.length === 0 ? [] : [`through the zip, the reference scores ${results.score} of ${max}${failing.length ? ` (${failing.slice(0, 5).join('; ')})` : ''}`];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
