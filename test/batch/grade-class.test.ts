/**
 * The class workflow's commands (scripts/grade-class.sh) on a class as an LMS exports it: a zip of
 * student folders inside a folder of its own, with an archiver's leftovers, a folder with no lab.ts
 * and a student's symbolic link. Fetched, graded in two shards, merged and summarized, as the
 * workflow's steps do; and the workflow calls exactly these commands.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ClassSummary } from '../../src/batch/summary.ts';
import { PROJECT_ROOT } from '../../src/gradescope/package.ts';
import { zip } from '../../src/gradescope/zip.ts';
import { tempDir } from './helpers.ts';
import { CORPUS_DIR } from '../helpers/rnn.ts';

const SCRIPT = join(PROJECT_ROOT, 'scripts', 'grade-class.sh');
const WORKFLOW = join(PROJECT_ROOT, '.github', 'workflows', 'grade-class.yml');
const SUBMISSIONS = CORPUS_DIR;

function script(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT, ...args], { env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

async function lmsExport(): Promise<Buffer> {
  const lab = (name: string) => readFile(join(SUBMISSIONS, name, 'lab.ts'));
  return zip([
    { name: 'export/ada/lab.ts', data: await lab('correct-loops') },
    { name: 'export/bob/lab.ts', data: await lab('forward-no-relu') },
    { name: 'export/cy/notes.txt', data: Buffer.from('I ran out of time.\n') },
    // A symbolic link (zip keeps the file type in the Unix mode) to a file of the grading machine.
    { name: 'export/dan/lab.ts', data: Buffer.from('/etc/hostname'), mode: 0o120777 },
    { name: 'export/.DS_Store', data: Buffer.from('junk') },
    { name: '__MACOSX/export/ada/._lab.ts', data: Buffer.from('junk') },
  ]);
}

describe('scripts/grade-class.sh: the class workflow outside GitHub', () => {
  test('fetch an LMS export, grade it in two shards, merge, summarize', async () => {
    const work = await tempDir('grade-class');
    await writeFile(join(work, 'export.zip'), await lmsExport());

    const fetched = await script(['fetch', join(work, 'export.zip'), join(work, 'class')]);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stdout).toContain(`4 student folder(s) in ${join(work, 'class')}`);
    expect(fetched.stderr).toContain('removed (not a regular file):');
    expect((await readdir(join(work, 'class'))).sort()).toEqual(['ada', 'bob', 'cy', 'dan']);
    expect(existsSync(join(work, 'class', 'dan', 'lab.ts')), "the student's symbolic link").toBe(false);

    const env = { SEED: '5', RUNS: '2', WORKERS: '2' };
    for (const shard of ['1/2', '2/2']) {
      const graded = await script(['grade', join(work, 'class'), join(work, `out-${shard[0]}`), shard], env);
      expect(graded.code, graded.stderr).toBe(0);
    }
    const merged = await script(['merge', join(work, 'class-results'), join(work, 'out-1'), join(work, 'out-2')]);
    expect(merged.code, merged.stderr).toBe(0);
    const summary: ClassSummary = JSON.parse(await readFile(join(work, 'class-results', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ seed: 5, submissions: 4, graded: 2, notGraded: [] });
    expect(summary.noSubmission.map((p) => p.name)).toEqual(['cy', 'dan']);
    expect(summary.students.find((s) => s.name === 'ada')!.score).toBe(6);

    const page = await script(['summary', join(work, 'class-results')]);
    expect(page.code, page.stderr).toBe(0);
    expect(page.stdout).toContain('### 4 submissions: 2 graded, 2 with no submission, 0 not graded');
    const forward = summary.tasks.find((t) => t.task === 'forward_function')!;
    expect(page.stdout).toContain(`| forward_function | 50% | ${forward.meanScore} / 1 | ${forward.mostCommonFailure!.property} |`);
    expect(page.stdout).toContain(`Graded: mean ${summary.distribution.mean} / 6`);
    expect(page.stdout).toContain('No submission: cy, dan');
    expect(page.stdout).toMatch(/Sandbox layers: \S/);
  });

  test('an artifact folder holding the archive is unpacked; a class with no student folder is refused', async () => {
    const work = await tempDir('grade-class-in');
    await mkdir(join(work, 'incoming'));
    await writeFile(join(work, 'incoming', 'class.zip'), await lmsExport());
    const fetched = await script(['fetch', join(work, 'incoming'), join(work, 'class')]);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect((await readdir(join(work, 'class'))).sort()).toEqual(['ada', 'bob', 'cy', 'dan']);

    await writeFile(join(work, 'empty.zip'), zip([{ name: 'README.txt', data: Buffer.from('no students here') }]));
    const empty = await script(['fetch', join(work, 'empty.zip'), join(work, 'none')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no student folder in');
    const again = await script(['fetch', join(work, 'incoming'), join(work, 'class')]);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining('is not empty: fetch into a new folder') });
  });

  test('the workflow runs these commands, as root for the sandbox, without the optional tfjs-node', async () => {
    const workflow = await readFile(WORKFLOW, 'utf8');
    const commands = [...workflow.matchAll(/scripts\/grade-class\.sh (\w+)/g)].map((m) => m[1]);
    expect(new Set(commands)).toEqual(new Set(['fetch', 'grade', 'merge', 'summary']));
    const installs = [...workflow.matchAll(/run: (npm .*)/g)].map((m) => m[1]);
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toMatch(/^npm ci .*--omit=optional/);
    expect(workflow).not.toContain('tfjs-node@');
    expect(workflow).toMatch(/run: sudo .*scripts\/grade-class\.sh grade /);
    expect(workflow).toContain('runs-on: ubuntu-24.04');
  });
});
