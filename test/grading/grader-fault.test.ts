/**
 * A grader fault is never a grade. Whatever fails on the grader's side (the sandbox cannot start,
 * the runner throws in one task, the pipeline throws before it has a report), `propgrade grade`
 * exits 3, results.json scores nothing and says "not graded", and the other reports say what failed.
 * And the converse: nothing a submission does on its own side makes it "not graded".
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { gradeSubmission } from '../../src/grading/grade.ts';
import { graderFaultsOf } from '../../src/model/report.ts';
import type { Machine } from '../../src/sandbox/layers.ts';
import { toGradescope, type GradescopeResults } from '../../src/reports/results.ts';
import { REFERENCE_LAB, TASK_IDS } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';
import { gradescopeProblems } from '../helpers/gradescope.ts';

/** What each test breaks: the runner in one task, the machine the sandbox starts on, or the whole pipeline. */
const fault = vi.hoisted(() => ({ runnerTask: undefined as string | undefined, machine: undefined as Partial<Machine> | undefined, pipeline: false }));

vi.mock('../../src/spec/runner.ts', async (original) => {
  const runner = await original<typeof import('../../src/spec/runner.ts')>();
  return {
    ...runner,
    runTask: (...args: Parameters<typeof runner.runTask>) => {
      if (args[0].id === fault.runnerTask) throw new Error('a bug in the runner');
      return runner.runTask(...args);
    },
  };
});

// The sandbox's real probe (src/sandbox/layers.ts), on a simulated machine: a node that refuses a
// flag, no unshare, a machine too slow to answer.
vi.mock('../../src/sandbox/layers.ts', async (original) => {
  const layers = await original<typeof import('../../src/sandbox/layers.ts')>();
  return {
    ...layers,
    confinement: () => (fault.machine === undefined ? layers.confinement() : layers.probeConfinement({ ...layers.THIS_MACHINE, ...fault.machine })),
  };
});

/** An executable shell script standing for node, in a folder anyone may enter (the probe may run as nobody). */
async function fakeNode(body: string): Promise<string> {
  const dir = await tempDir('fake-node');
  await chmod(dir, 0o755);
  const file = join(dir, 'node');
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

vi.mock('../../src/grading/grade.ts', async (original) => {
  const grading = await original<typeof import('../../src/grading/grade.ts')>();
  return {
    ...grading,
    gradeSubmission: (...args: Parameters<typeof grading.gradeSubmission>) =>
      fault.pipeline ? Promise.reject(new TypeError('Cannot read properties of undefined (reading "tasks")')) : grading.gradeSubmission(...args),
  };
});

beforeEach(() => {
  Object.assign(fault, { runnerTask: undefined, machine: undefined, pipeline: false });
});
afterEach(() => vi.restoreAllMocks());

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));

/** results.json of a submission that was not graded: valid for Gradescope, and no score that reads as one. */
function expectNotGraded(results: GradescopeResults, why: string) {
  expect(gradescopeProblems(results)).toEqual([]);
  expect(results.score).toBe(0);
  expect(results.output).toMatch(/^\*\*Not graded\.\*\* The grader itself failed/);
  expect(new Set(results.tests.map((t) => t.extra_data.task))).toEqual(new Set(TASK_IDS));
  for (const t of results.tests) {
    // Worth nothing, so no task shows points lost; held until published, so Gradescope shows the student no total.
    expect(t).toMatchObject({ score: 0, max_score: 0, status: 'failed', visibility: 'after_published', tags: [t.extra_data.task, 'not-graded'] });
  }
  expect(results.extra_data.not_graded).toBe(true);
  expect(results.extra_data.grader_faults).toContainEqual(expect.stringContaining(why));
}

/** Runs `propgrade grade` in this process (so the mocks apply): its exit code and its files. */
async function gradeCommand(submission: string, ...extra: string[]) {
  const out = await tempDir('fault');
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const errors: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((text: string) => void errors.push(text));
  const code = await main(['grade', submission, '--out', out, '--seed', '1', '--runs', '2', ...extra]);
  const file = (name: string) => readFile(join(out, name), 'utf8');
  return { code, errors, out, results: JSON.parse(await file('results.json')) as GradescopeResults, file };
}

describe('a grader fault is never a grade', () => {
  test('a fault in one task: the report keeps the other tasks, yet results.json scores nothing', async () => {
    fault.runnerTask = 'bigram';
    const report = await gradeSubmission(REFERENCE_LAB, { seed: 1, runs: 2 });
    const bigram = report.tasks.find((t) => t.task === 'bigram')!;
    expect(bigram.broken).toMatchObject({ kind: 'grader-fault', message: expect.stringContaining('not your fault') });
    expect(bigram.properties.every((p) => !p.passed && p.score === 0)).toBe(true);
    expect(report.tasks.filter((t) => t.task !== 'bigram').every((t) => t.passed)).toBe(true);
    expect(report.graderFaults).toEqual([expect.stringContaining('task bigram: Error: a bug in the runner')]);
    // Five of six points are right, but a partial score would read as the student's: none at all.
    expectNotGraded(toGradescope(report), 'task bigram: Error: a bug in the runner');
  });

  test.each([
    ['a refused flag', async () => ({ machine: { node: await fakeNode('echo "node: bad option: $1" >&2\nexit 9') }, args: [], message: /no confinement runs node here \(.*exit code 9: node: bad option: --/ })],
    ['a missing unshare', async () => ({ machine: { tools: { unshare: '/nonexistent/unshare', prlimit: '/usr/bin/prlimit', setpriv: '/usr/bin/setpriv' } }, args: ['--require-layers', 'net-namespace'], message: /the layer\(s\) net-namespace are required, and this machine runs only .*\/nonexistent\/unshare not on this machine/ })],
    ['a probe that is slow', async () => ({ machine: { node: await fakeNode('sleep 30'), tries: [100, 300] }, args: [], message: /did not answer within 0.1 s, then 0.3 s/ })],
  ])('a sandbox that cannot start (%s): exit 3, not graded, and every report says why', async (_, setup) => {
    const { machine, args, message } = await setup();
    fault.machine = machine;
    const { code, errors, out, results, file } = await gradeCommand(REFERENCE_LAB, ...args);
    expect(code).toBe(3);
    expectNotGraded(results, 'could not start grading: SandboxStartError: the sandbox cannot start: ');
    expect((results.extra_data.grader_faults as string[]).join('\n')).toMatch(message);
    expect(errors[0]).toContain('propgrade grade: grader fault: could not start grading: SandboxStartError: the sandbox cannot start: ');
    expect(errors[0]).toMatch(message);
    // The staff's reports still tell what happened.
    expect(await file('report.md')).toContain('Grader fault:\n\n```\ncould not start grading: SandboxStartError: the sandbox cannot start: ');
    expect(await file('junit.xml')).toMatch(/<error message="(Not run: )?The grader could not start; this is not your fault/);
    expect(await file('report.html')).toContain('Grader faults (staff)');
    expect((await readJson(join(out, 'report.json'))).graderFaults.join('\n')).toMatch(message);
  });

  test('the grader throwing before it has any report: exit 3, and every report is written all the same', async () => {
    fault.pipeline = true;
    const { code, errors, results, file } = await gradeCommand(REFERENCE_LAB);
    expect(code).toBe(3);
    expectNotGraded(results, 'grader-fault: TypeError: Cannot read properties of undefined');
    expect(errors.join('\n')).toContain('TypeError: Cannot read properties of undefined');
    expect(await file('report.md')).toContain('Grader fault:\n\n```\ngrader-fault: TypeError');
  });

  test('a submission that crashes every task leaves no coverage, and is graded all the same: no escape from its grade', async () => {
    const dir = await mkdtemp(join(await tempDir('exhaust'), 'sub-'));
    await writeFile(
      join(dir, 'lab.ts'),
      [
        '// Every call fills the heap until its process dies: each task crashes on its first case, no coverage is read.',
        'const exhaust = (): never => {',
        '  const hoard: number[][] = [];',
        '  for (;;) hoard.push(new Array(1e6).fill(1));',
        '};',
        ...['forwardByHand', 'forward', 'sequenceProbability', 'bigramRNN', 'gradH11WrtU', 'bpttGradU'].map((name) => `export const ${name} = () => exhaust();`),
        'export const tinyBigramRNN = { get sigma(): never { return exhaust(); } } as never;',
      ].join('\n'),
    );
    const { code, out, results } = await gradeCommand(dir);
    const report = await readJson(join(out, 'report.json'));
    expect(report.coverageMissing, 'the case this test is about').toBe('no task left counts');
    expect(graderFaultsOf(report)).toEqual([]);
    expect(code).toBe(0);
    expect(gradescopeProblems(results)).toEqual([]);
    expect(results.extra_data.not_graded).toBeUndefined();
    expect(results.tests.filter((t) => t.extra_data.task === 'bigram').reduce((s, t) => s + t.max_score, 0)).toBe(1);
    expect(results.score).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });
});
