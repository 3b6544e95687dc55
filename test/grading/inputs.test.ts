/**
 * Hostile inputs (fixtures/inputs/README.md): submitted files are read without following links, only
 * regular files of bounded size; text built to stall the static checks, the build or graph layout
 * ends within its budget. Each gains no points it did not earn, and leaves a report.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { deepNesting, repeatedLiterals, tournamentGraph, wideKeyUnion } from '../../fixtures/inputs/generate.ts';
import { gradeSubmission, STATIC_BUDGET } from '../../src/grading/grade.ts';
import type { GradeReport } from '../../src/model/report.ts';
import { LAYOUT_BUDGET, labGraphs } from '../../src/reports/html/graphs.ts';
import { writeReports } from '../../src/reports/write.ts';
import { BudgetExceeded, withinBudget } from '../../src/sandbox/budget.ts';
import { lintSource, MAX_FINDINGS_PER_RULE } from '../../src/static/index.ts';
import { MAX_SUBMISSION_BYTES, readSubmitted } from '../../src/submission.ts';
import { propgrade, ROOT } from '../helpers/cli.ts';
import { corpusSubmission, REFERENCE_LAB, RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const CORRECT = join(corpusSubmission('correct-loops'), 'lab.ts');
const HOG = new URL('../helpers/hog.ts', import.meta.url);

const scoreOf = (report: GradeReport) => report.tasks.reduce((sum, t) => sum + t.score, 0);
const maxOf = (report: GradeReport) => report.tasks.reduce((sum, t) => sum + t.maxScore, 0);

/** Grades `submission` (few cases: these tests are about the input, not the specs) and writes its reports. */
async function graded(submission: string): Promise<{ report: GradeReport; out: string }> {
  const report = await gradeSubmission(submission, { lab: RNN, seed: 1, runs: 3 });
  const out = await tempDir('inputs-out');
  await writeReports(report, out, RNN);
  return { report, out };
}

/** Every task scores 0, broken for a reason that matches `why`; no grader fault. */
function refused(report: GradeReport, why: RegExp): void {
  expect(scoreOf(report)).toBe(0);
  expect(report.graderFaults).toEqual([]);
  for (const task of report.tasks) expect(task.broken?.message, task.task).toMatch(why);
}

async function folderWith(name: string, make: (file: string) => Promise<unknown>): Promise<string> {
  const dir = join(await tempDir('inputs'), name);
  await mkdir(dir);
  await make(join(dir, 'lab.ts'));
  return dir;
}

describe('a submitted file is read only as a regular file of bounded size, never through a link', () => {
  const targets: Array<[string, string]> = [
    ['the reference', REFERENCE_LAB],
    ["the reference's folder", dirname(REFERENCE_LAB)],
    ["another student's lab.ts", CORRECT],
    ["the grader's environment", '/proc/self/environ'],
    ['a system file', '/etc/hostname'],
  ];

  test.each(targets)('lab.ts linked to %s: refused with a clear message, nothing of it in the reports', { timeout: 60_000 }, async (_, target) => {
    const dir = await folderWith('linked', (file) => symlink(target, file));
    for (const submission of [dir, join(dir, 'lab.ts')]) {
      const { report, out } = await graded(submission);
      refused(report, /symbolic link/);
      const written = await readFile(join(out, 'report.json'), 'utf8');
      expect(written).not.toContain('PATH=');
      expect(written).not.toContain('export function');
    }
  });

  test('a link to /dev/zero, /dev/zero itself and a named pipe are refused at once, never read', { timeout: 60_000 }, async () => {
    const zero = await folderWith('zero', (file) => symlink('/dev/zero', file));
    refused((await graded(join(zero, 'lab.ts'))).report, /symbolic link/);
    refused((await graded('/dev/zero')).report, /not a regular file \(a device\)/);
    const fifo = await folderWith('fifo', async (file) => execFileSync('mkfifo', [file]));
    refused((await graded(fifo)).report, /not a regular file \(a named pipe\)/);
  });

  test('a 50 MB file is refused by its size, unread', { timeout: 60_000 }, async () => {
    const dir = await folderWith('huge', async (file) => {
      await writeFile(file, 'export const x = 1;\n');
      await truncate(file, 50 * 1024 * 1024);
    });
    refused((await graded(dir)).report, new RegExp(`52428800 bytes; a submission is at most ${MAX_SUBMISSION_BYTES} bytes`));
  });

  test('the bound is exact: maxBytes bytes are read, one more is refused', async () => {
    const dir = await tempDir('bound');
    const file = join(dir, 'lab.ts');
    await writeFile(file, 'x'.repeat(100));
    await expect(readSubmitted(file, 100)).resolves.toEqual({ source: Buffer.from('x'.repeat(100)) });
    expect(await readSubmitted(file, 99)).toEqual({ refused: "'lab.ts' is 100 bytes; a submission is at most 99 bytes." });
  });

  test('an unreadable lab.ts: grade exits 0 with a results.json that says why, worth nothing', { timeout: 120_000 }, async () => {
    const dir = await folderWith('locked', async (file) => {
      await writeFile(file, await readFile(CORRECT));
      await chmod(file, 0o000);
    });
    await chmod(join(dir, '..'), 0o755);
    const out = await tempDir('locked-out');
    await chmod(out, 0o777);
    // Root reads anything: the grader then runs as nobody, as an unprivileged grader would.
    const asNobody = process.getuid?.() === 0;
    const run = asNobody
      ? await runAs(65534, ['grade', dir, '--out', out, '--seed', '1'])
      : await propgrade(['grade', dir, '--out', out, '--seed', '1']);
    expect(run.stderr).not.toMatch(/EACCES|at .*\.ts:\d+/);
    expect(run.code).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.score).toBe(0);
    expect(results.tests[0].output).toMatch(/cannot be read \(permission denied\)/);
  });
});

/** The command line as another user (the working folder and HOME are the user's own). */
function runAs(uid: number, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = join('/tmp', `propgrade-home-${uid}`);
  execFileSync('mkdir', ['-p', home]);
  execFileSync('chown', [String(uid), home]);
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/propgrade.js'), ...args], { uid, gid: uid, cwd: home, env: { ...withoutCoverage(process.env), HOME: home } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('batch', () => {
  test("a link to another student's lab.ts is refused: that student scores nothing, as no submission", { timeout: 300_000 }, async () => {
    const klass = await tempDir('class');
    await mkdir(join(klass, 'alice'));
    await writeFile(join(klass, 'alice', 'lab.ts'), await readFile(CORRECT));
    await mkdir(join(klass, 'bob'));
    await symlink(join(klass, 'alice', 'lab.ts'), join(klass, 'bob', 'lab.ts'));
    const out = await tempDir('class-out');
    const run = await propgrade(['batch', klass, '--out', out, '--seed', '1', '--runs', '3', '--workers', '1']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    const bob = JSON.parse(await readFile(join(out, 'bob', 'results.json'), 'utf8'));
    expect(bob.score).toBe(0);
    expect(bob.tests[0].output).toMatch(/symbolic link/);
    expect(JSON.stringify(summary)).toMatch(/no-submission/);
    const alice = JSON.parse(await readFile(join(out, 'alice', 'results.json'), 'utf8'));
    expect(alice.score).toBeGreaterThan(0);
  });
});

describe('gradients: what the static rule lets by, the provenance check at run time does not', () => {
  test('the .grad of a tensor other than U, laundered through a real backward(): automatic_diff scores 0', { timeout: 120_000 }, async () => {
    const lab = join(FIXTURES, 'inputs', 'throwaway-grad');
    const findings = lintSource('lab.ts', await readFile(join(lab, 'lab.ts'), 'utf8'), RNN.tasks);
    expect(findings.filter((f) => f.rule === 'uses-backward')).toEqual([]);
    const { report } = await graded(lab);
    const task = report.tasks.find((t) => t.task === 'automatic_diff')!;
    expect(task.score).toBe(0);
    expect(task.properties.map((p) => p.message).join('\n')).toMatch(/other than U/);
    expect(report.tasks.filter((t) => t.task !== 'automatic_diff').every((t) => t.passed)).toBe(true);
  });

  test.each(['ritual-backward.ts', 'throwaway-backward.ts'])('evasion %s: automatic_diff scores 0', { timeout: 120_000 }, async (name) => {
    const { report } = await graded(join(FIXTURES, 'evasions', name));
    expect(report.tasks.find((t) => t.task === 'automatic_diff')!.score).toBe(0);
  });
});

describe('budgets', () => {
  test('a worker that overruns its time or heap is stopped with BudgetExceeded; an ordinary throw is not one', { timeout: 120_000 }, async () => {
    const budget = { what: 'the test', timeoutMs: 2_000, heapMb: 64 };
    await expect(withinBudget(HOG, 'spin', [], budget)).rejects.toThrow(new BudgetExceeded('the test stopped: over the budget of 2 s'));
    await expect(withinBudget(HOG, 'hoard', [], { ...budget, timeoutMs: 60_000 })).rejects.toThrow(/over the budget of 64 MB of memory/);
    const thrown = await withinBudget(HOG, 'fail', [], budget).catch((error: unknown) => error);
    expect(thrown).not.toBeInstanceOf(BudgetExceeded);
    expect(String(thrown)).toMatch(/an ordinary failure/);
    // The worker that threw serves the next call.
    expect(await withinBudget(HOG, 'twice', [21], budget)).toBe(42);
  });

  test('static checks over their budget fail every task with a clear message; the report is written', { timeout: 120_000 }, async () => {
    const saved = STATIC_BUDGET.timeoutMs;
    STATIC_BUDGET.timeoutMs = 1;
    try {
      const { report, out } = await graded(corpusSubmission('correct-loops'));
      refused(report, /the static checks stopped: over the budget of 0.001 s/);
      expect(existsSync(join(out, 'results.json'))).toBe(true);
    } finally {
      STATIC_BUDGET.timeoutMs = saved;
    }
  });

  test('480 KB of the example written out again and again: a few findings, a small report, no points', { timeout: 180_000 }, async () => {
    const outputs = Object.values((RNN.task('forward_by_hand').rules.find((r) => r.rule === 'no-hardcoded-example')!.data as { outputs: Record<string, unknown> }).outputs).map((v) => (v as number[]).flat(3) as number[]);
    const dir = await folderWith('literals', (file) => writeFile(file, repeatedLiterals(outputs, 480_000)));
    const { report, out } = await graded(dir);
    expect(report.tasks.find((t) => t.task === 'forward_by_hand')!.score).toBe(0);
    // Bounded: the findings are capped (or, on a machine too slow for the budget, one says the checks stopped).
    expect(report.findings.length).toBeLessThanOrEqual(MAX_FINDINGS_PER_RULE + 1);
    expect(statSync(join(out, 'report.json')).size).toBeLessThan(2 * MAX_SUBMISSION_BYTES);
  });

  test('a key type of 90,000 literals read 3,000 times: the checks finish, no points', { timeout: 180_000 }, async () => {
    const dir = await folderWith('union', (file) => writeFile(file, wideKeyUnion(90_000, 3_000)));
    const { report } = await graded(dir);
    expect(scoreOf(report)).toBe(0);
    expect(report.graderFaults).toEqual([]);
  });

  test('300,000 nested brackets: every task fails with a clear message, the grader and its esbuild are unharmed', { timeout: 180_000 }, async () => {
    const dir = await folderWith('deep', (file) => writeFile(file, deepNesting(300_000)));
    const out = await tempDir('deep-out');
    const run = await propgrade(['grade', dir, '--out', out, '--seed', '1', '--runs', '3']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/goroutine|runtime\.|service was stopped/);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.score).toBe(0);
    expect(results.tests[0].output).toMatch(/nested too deeply/);
    // The same process's esbuild still builds (the reference, here) after the isolated parse failed.
    const { report } = await graded(corpusSubmission('correct-loops'));
    expect(scoreOf(report)).toBe(maxOf(report));
  });

  test('a graph whose layout takes minutes: report.html says so within the budget, the earned points stay', { timeout: 180_000 }, async () => {
    const dir = await folderWith('tournament', (file) => writeFile(file, tournamentGraph(48)));
    const { report, out } = await graded(dir);
    expect(scoreOf(report)).toBe(maxOf(report)); // a correct forward pass: its points are earned
    expect(report.graphs?.forward_by_hand?.length).toBeGreaterThan(10_000);
    const graphs = await labGraphs(report, RNN);
    expect(graphs.forward_by_hand!.label).toMatch(new RegExp(`No graph: graph layout stopped: over the budget of ${LAYOUT_BUDGET.timeoutMs / 1000} s`));
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});

/**
 * The environment with c8's NODE_V8_COVERAGE off: a process running as nobody cannot write the
 * grader's coverage files. Set empty, not left out: Node's spawn re-adds a variable left out.
 */
function withoutCoverage(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_V8_COVERAGE: '' };
}
