/**
 * The attention lab through every command that takes `--lab`, as a user runs them (child processes):
 * a student's check, grade with its reports (results.json, report.html with the lab's graphs), a
 * batch with its class page, and the Gradescope zip built by the command and run the way Gradescope
 * runs it. Outcomes are compared with the corpus's expected.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../../src/gradescope/package.ts';
import { unzip } from '../../../src/gradescope/zip.ts';
import { ATTENTION, ATTENTION_DIR, attentionSubmission } from '../../../test/helpers/attention.ts';
import { propgrade } from '../../../test/helpers/cli.ts';
import { tempDir } from '../../../test/helpers/temp.ts';
import { gradescopeProblems } from '../../../test/helpers/gradescope.ts';

const LAB = relative(PROJECT_ROOT, ATTENTION_DIR);
const TASK_IDS = ATTENTION.tasks.map((t) => t.id);
const submission = (name: string) => relative(PROJECT_ROOT, attentionSubmission(name));
const expectedOf = async (name: string) => JSON.parse(await readFile(join(attentionSubmission(name), 'expected.json'), 'utf8')).tasks as Record<string, 'pass' | 'fail'>;

interface Entry {
  score: number;
  max_score: number;
  status?: string;
  extra_data: { task: string };
}

/** Each task's outcome from a results.json: passed when it scored its maximum (an optional task of 0 points by its entries' status). */
function outcomes(results: { tests: Entry[] }): Record<string, 'pass' | 'fail'> {
  const byTask: Record<string, Entry[]> = {};
  for (const t of results.tests) (byTask[t.extra_data.task] ??= []).push(t);
  return Object.fromEntries(
    Object.entries(byTask).map(([task, entries]) => {
      const max = entries.reduce((s, t) => s + t.max_score, 0);
      const passed = max > 0 ? Math.abs(entries.reduce((s, t) => s + t.score, 0) - max) < 1e-6 : entries.every((t) => t.status === 'passed');
      return [task, passed ? 'pass' : 'fail'];
    }),
  );
}

describe('check --lab specs/attention', () => {
  test('passes a correct submission on every public property of the lab (exit 0)', async () => {
    const run = await propgrade(['check', submission('correct-template'), '--lab', LAB, '--seed', '3']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const ran = [...run.stdout.matchAll(/✓ (\w+) › ([\w-]+)/g)].map(([, task, property]) => `${task}/${property}`);
    const publicOnes = ATTENTION.tasks.flatMap((t) => t.properties.filter((p) => p.visibility === 'public').map((p) => `${t.id}/${p.id}`));
    expect(ran).toEqual(publicOnes);
  });

  test('fails a wrong one (exit 1) with a replay command that names the lab and reproduces the counterexample', async () => {
    const run = await propgrade(['check', submission('naive-softmax'), '--lab', LAB, '--task', 'attention_function', '--seed', '7']);
    expect(run.code).toBe(1);
    const failure = run.stdout.slice(run.stdout.indexOf('✗ attention_function › weighted-means\n'));
    expect(failure).toContain('holds NaN');
    const replay = /Replay it with: npx propgrade (check .*)/.exec(failure)![1]!;
    expect(replay).toMatch(new RegExp(`^check ${submission('naive-softmax')} --lab ${LAB} --task attention_function --property weighted-means --seed 7 --path [\\d:]+$`));
    const again = await propgrade(replay.split(' '));
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('(1 case,');
    expect(again.stdout).toContain(failure.slice(0, failure.indexOf('Replay it with')));
  });
});

test('grade --lab specs/attention writes valid reports; each task comes out as expected.json says; the HTML report draws the lab graph', async () => {
  const out = await tempDir('attention-grade');
  const run = await propgrade(['grade', submission('mask-ignored'), '--lab', LAB, '--out', out, '--seed', '5']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  expect(gradescopeProblems(results, TASK_IDS)).toEqual([]);
  expect(outcomes(results)).toEqual(await expectedOf('mask-ignored'));
  const html = await readFile(join(out, 'report.html'), 'utf8');
  for (const task of ATTENTION.tasks) expect(html).toContain(`id="${task.id}" data-task="${task.id}"`);
  expect(html).toMatch(/<svg[\s\S]*SoftmaxBackward/);
  expect(html).not.toMatch(/<script/);
});

test('batch --lab specs/attention grades a class through the sandbox into results.json, report.html and the class page', async () => {
  const names = ['correct-methods', 'mask-ignored', 'head-attends-to-self', 'grad-of-keys'];
  const classDir = await tempDir('attention-class');
  for (const name of names) await cp(attentionSubmission(name), join(classDir, name), { recursive: true });
  const out = await tempDir('attention-batch');
  const run = await propgrade(['batch', classDir, '--lab', LAB, '--out', out, '--seed', '7', '--workers', '2']);
  expect(run.code).toBe(0);
  for (const name of names) {
    const results = JSON.parse(await readFile(join(out, name, 'results.json'), 'utf8'));
    expect(outcomes(results), name).toEqual(await expectedOf(name));
    expect(existsSync(join(out, name, 'report.html')), name).toBe(true);
  }
  const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
  expect(summary.tasks.map((t: { task: string }) => t.task)).toEqual(ATTENTION.tasks.map((t) => t.id));
  expect(summary.submissions).toBe(names.length);
  const page = await readFile(join(out, 'summary.html'), 'utf8');
  for (const name of [...names].sort()) expect(page).toContain(`<a href="${name}/report.html"`);
});

test('gradescope --lab specs/attention builds a zip of this lab only, whose run_autograder grades a submission as expected', async () => {
  const root = await tempDir('attention-autograder');
  const zipFile = join(root, 'autograder.zip');
  const built = await propgrade(['gradescope', '--lab', LAB, '--out', zipFile]);
  expect(built.code).toBe(0);
  const entries = unzip(await readFile(zipFile));
  const names = entries.map((e) => e.name);
  for (const name of ['setup.sh', 'run_autograder', 'specs/attention/index.ts', 'specs/attention/hidden.ts', 'specs/attention/reference/lab.ts', 'specs/attention/oracle.ts']) expect(names).toContain(name);
  expect(names.filter((n) => /^specs\/(?!attention\/)|(^|\/)node_modules\//.test(n))).toEqual([]);
  expect(entries.find((e) => e.name === 'autograder-lab')!.data.toString()).toBe('specs/attention\n');

  // /autograder/{source,submission,results} in the temporary folder; node_modules linked, not installed.
  const source = join(root, 'source');
  for (const entry of entries) {
    const file = join(source, entry.name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, entry.data);
    await chmod(file, entry.mode ?? 0o644);
  }
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(source, 'node_modules'));
  execFileSync(process.execPath, ['scripts/build.mjs', '--engine-only'], { cwd: source });
  await mkdir(join(root, 'submission'), { recursive: true });
  await mkdir(join(root, 'results'));
  await writeFile(join(root, 'submission', 'lab.ts'), await readFile(join(attentionSubmission('grad-of-keys'), 'lab.ts')));
  execFileSync(join(source, 'run_autograder'), { env: { ...process.env, AUTOGRADER_ROOT: root }, stdio: 'pipe' });
  const results = JSON.parse(await readFile(join(root, 'results', 'results.json'), 'utf8'));
  expect(gradescopeProblems(results, TASK_IDS)).toEqual([]);
  expect(outcomes(results)).toEqual(await expectedOf('grad-of-keys'));
});
