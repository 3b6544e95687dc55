import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { autograderZip, FALLBACK_FILE, PROJECT_ROOT } from '../../src/gradescope/package.ts';
import { fallbackResults, NOT_GRADED_MESSAGE } from '../../src/reports/results.ts';
import { gradescopeProblems } from '../helpers/gradescope.ts';
import { tableCrc32, unzip, zip, type ZipEntry } from '../../src/gradescope/zip.ts';
import { gzipSync } from 'node:zlib';
import { corpusSubmission, RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const UNZIP = '/usr/bin/unzip';

describe('zip', () => {
  const entries: ZipEntry[] = [
    { name: 'run_autograder', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
    { name: 'src/ünïcode.ts', data: Buffer.from('export const x = "é";\n'.repeat(50)) },
    { name: 'empty', data: Buffer.alloc(0) },
    // Random bytes do not deflate: stored as they are.
    { name: 'bin/noise', data: Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7919) % 251)) },
  ];

  test('what is written reads back: names, bytes, modes', () => {
    const back = unzip(zip(entries));
    expect(back.map((e) => [e.name, e.data.toString('hex'), e.mode])).toEqual(entries.map((e) => [e.name, e.data.toString('hex'), e.mode ?? 0o644]));
  });

  test('the same files give the same bytes (no timestamp)', () => {
    expect(zip(entries).equals(zip(entries))).toBe(true);
  });

  test('the CRC-32 used where zlib has none (Node before 20.15) is the one gzip writes in its trailer', () => {
    for (const data of [Buffer.alloc(0), Buffer.from('propgrade'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff))]) {
      expect(tableCrc32(data)).toBe(gzipSync(data).readUInt32LE(gzipSync(data).length - 8));
    }
  });

  test('a corrupted archive is refused', () => {
    const archive = zip(entries);
    archive[30 + 'run_autograder'.length + 3] ^= 0xff; // inside the first entry's data, past its header and name
    expect(() => unzip(archive)).toThrow(/CRC|invalid/);
    expect(() => unzip(Buffer.from('not a zip'))).toThrow(/not a zip archive/);
    expect(() => zip([{ name: '../evil', data: Buffer.alloc(1) }])).toThrow(/bad entry name/);
  });

  test.skipIf(!existsSync(UNZIP))('Info-ZIP unzip accepts the archive', async () => {
    const dir = await tempDir('zip');
    await writeFile(join(dir, 'a.zip'), zip(entries));
    expect(execFileSync(UNZIP, ['-t', join(dir, 'a.zip')], { encoding: 'utf8' })).toMatch(/No errors detected/);
  });
});

describe('the Gradescope autograder zip', () => {
  test('holds setup.sh, run_autograder, the specs and the reference; no node_modules, tests or fixtures', async () => {
    const names = unzip(await autograderZip(RNN)).map((e) => e.name);
    for (const name of ['setup.sh', 'run_autograder', 'autograder-lab', 'package.json', 'package-lock.json', 'bin/propgrade.js', 'specs/rnn/index.ts', 'specs/rnn/hidden.ts', 'specs/rnn/reference/lab.ts', 'src/autograd/index.ts', 'src/cli/main.ts']) {
      expect(names).toContain(name);
    }
    // Only this lab: no other bundled lab, no engine specs.
    const strays = names.filter((n) => /(^|\/)node_modules\/|^(dist|test|fixtures|reports)\/|^specs\/(?!rnn\/)/.test(n));
    expect(strays).toEqual([]);
  });

  test('run_autograder grades a submission in a Gradescope-like layout into results/results.json', async () => {
    const root = await autograderLayout();
    await mkdir(join(root, 'submission', 'upload'), { recursive: true });
    // One bug: the forward function's task fails, every other task passes (the corpus's expected.json).
    const fixture = corpusSubmission('forward-no-relu');
    await writeFile(join(root, 'submission', 'upload', 'lab.ts'), await readFile(join(fixture, 'lab.ts')));
    const expected = JSON.parse(await readFile(join(fixture, 'expected.json'), 'utf8')).tasks as Record<string, 'pass' | 'fail'>;

    runAutograder(root);

    const results = JSON.parse(await readFile(join(root, 'results', 'results.json'), 'utf8'));
    expect(results).toMatchObject({ score: expect.any(Number), output: expect.any(String), tests: expect.any(Array) });
    const byTask: Record<string, { score: number; max: number }> = {};
    for (const t of results.tests) {
      const task = (byTask[t.extra_data.task] ??= { score: 0, max: 0 });
      task.score += t.score;
      task.max += t.max_score;
    }
    for (const [task, outcome] of Object.entries(expected)) {
      const { score, max } = byTask[task]!;
      if (outcome === 'pass') expect(score, task).toBeCloseTo(max, 6);
      else expect(score, task).toBeLessThan(max);
    }
    expect(results.score).toBeCloseTo(Object.values(byTask).reduce((s, t) => s + t.score, 0), 6);
  });
});

/** /autograder/{source,submission,results} in a temporary folder; node_modules linked, not installed. */
async function autograderLayout(): Promise<string> {
  const root = await tempDir('autograder');
  const source = join(root, 'source');
  for (const entry of unzip(await autograderZip(RNN))) {
    const file = join(source, entry.name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, entry.data);
    await chmod(file, entry.mode ?? 0o644);
  }
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(source, 'node_modules'));
  execFileSync(process.execPath, ['scripts/build.mjs', '--engine-only'], { cwd: source });
  await mkdir(join(root, 'submission'));
  await mkdir(join(root, 'results'));
  return root;
}

function runAutograder(root: string): void {
  execFileSync(join(root, 'source', 'run_autograder'), { env: { ...process.env, AUTOGRADER_ROOT: root }, stdio: 'pipe', timeout: 240_000 });
}

const resultsOf = async (root: string) => JSON.parse(await readFile(join(root, 'results', 'results.json'), 'utf8')) as { score: number; output: string; tests: Array<{ score: number; max_score: number; output: string }> };

describe('run_autograder against a hostile upload', () => {
  test('a folder whose name holds a newline cannot forge the path of the reference: the upload is graded', { timeout: 300_000 }, async () => {
    const root = await autograderLayout();
    const reference = join(root, 'source', RNN.paths.reference!.slice(PROJECT_ROOT.length));
    expect(existsSync(reference)).toBe(true);
    // The old `find -printf '%d %p\n' | sort -n` read "0 <reference>" as a path of depth 0.
    const forged = join(root, 'submission', 'x\n0 ', dirname(reference));
    await mkdir(forged, { recursive: true });
    await writeFile(join(forged, 'lab.ts'), await readFile(RNN.paths.template!));
    runAutograder(root);
    const results = await resultsOf(root);
    const max = results.tests.reduce((s, t) => s + t.max_score, 0);
    expect(max).toBeGreaterThan(0);
    expect(results.score).toBeLessThan(max / 2); // the template's score, not the reference's
  });

  test('a lab.ts linked to the reference, or to its folder, is refused: no points, a clear message', { timeout: 300_000 }, async () => {
    const root = await autograderLayout();
    const reference = join(root, 'source', RNN.paths.reference!.slice(PROJECT_ROOT.length));
    for (const target of [reference, dirname(reference)]) {
      await rm(join(root, 'submission', 'lab.ts'), { force: true });
      await symlink(target, join(root, 'submission', 'lab.ts'));
      runAutograder(root);
      const results = await resultsOf(root);
      expect(results.score, target).toBe(0);
      expect(results.tests.length).toBeGreaterThan(0);
      expect(results.tests[0]!.output).toMatch(/symbolic link/);
    }
  });
});


/** A results.json a previous run left behind, full marks: never what Gradescope gets from this run. */
const STALE = { score: 100, execution_time: 1, output: 'stale', output_format: 'md', visibility: 'visible', stdout_visibility: 'hidden', tests: [] };

describe('run_autograder when grade does not grade', () => {
  test('the fallback in the archive is a valid not-graded results.json for every task of the lab', async () => {
    const entry = unzip(await autograderZip(RNN)).find((e) => e.name === FALLBACK_FILE);
    const fallback = JSON.parse(entry!.data.toString('utf8'));
    expect(fallback).toEqual(fallbackResults(RNN.tasks));
    expect(gradescopeProblems(fallback)).toEqual([]);
    expect(fallback.tests.map((t: { extra_data: { task: string } }) => t.extra_data.task)).toEqual(RNN.tasks.map((t) => t.id));
    expect(fallback).toMatchObject({ score: 0, output: NOT_GRADED_MESSAGE, extra_data: { not_graded: true } });
  });

  const absent = process.getuid?.() === 0 ? 'user-namespace' : 'user-nobody';
  test(`grade exits 3 (the course config requires ${absent}, which this machine does not run): grade's own results.json is kept`, { timeout: 300_000 }, async () => {
    const root = await autograderLayout();
    await writeFile(join(root, 'source', 'propgrade.config.json'), JSON.stringify({ requireLayers: [absent] }));
    await writeFile(join(root, 'submission', 'lab.ts'), await readFile(RNN.paths.reference!));
    await writeFile(join(root, 'results', 'results.json'), JSON.stringify(STALE));
    runAutograder(root);
    const results = JSON.parse(await readFile(join(root, 'results', 'results.json'), 'utf8'));
    expect(gradescopeProblems(results)).toEqual([]);
    expect(results).toMatchObject({ score: 0, output: NOT_GRADED_MESSAGE, extra_data: { not_graded: true } });
    expect(results.extra_data.grader_faults.join('\n')).toContain(absent); // grade's own file, not the fallback
  });

  test('grade crashes before writing: the fallback, not the stale file', { timeout: 300_000 }, async () => {
    const root = await autograderLayout();
    await writeFile(join(root, 'source', 'bin', 'propgrade.js'), "throw new Error('the grader crashed');\n");
    await writeFile(join(root, 'submission', 'lab.ts'), await readFile(RNN.paths.reference!));
    await writeFile(join(root, 'results', 'results.json'), JSON.stringify(STALE));
    runAutograder(root);
    const results = JSON.parse(await readFile(join(root, 'results', 'results.json'), 'utf8'));
    expect(gradescopeProblems(results)).toEqual([]);
    expect(results).toEqual(fallbackResults(RNN.tasks));
  });
});
