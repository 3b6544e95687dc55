/**
 * The command line when the grader cannot grade, as a user meets it: a real `propgrade grade` and
 * `propgrade batch`, on a machine whose sandbox cannot start. As root the sandbox runs student code
 * as `nobody`, who must be able to read the bundle: with TMPDIR inside a folder closed to others it
 * cannot, and the sandbox refuses to start (src/sandbox/process.ts). Nothing is mocked.
 */
import { cp, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ClassSummary } from '../../src/batch/summary.ts';
import { PROJECT_ROOT } from '../../src/gradescope/package.ts';
import { propgrade } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';
import { gradescopeProblems } from '../helpers/gradescope.ts';
import { corpusSubmission } from '../helpers/rnn.ts';

const CORRECT = corpusSubmission('correct-loops');
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));

/** A TMPDIR that user nobody cannot enter (mkdtemp makes it 0700). */
const closedTmp = async () => ({ TMPDIR: await mkdtemp(join(await tempDir('closed'), 'tmp-')) });

describe.skipIf(process.getuid?.() !== 0)('a sandbox that cannot start (as root: nobody cannot read the bundle)', () => {
  test('grade exits 3 and results.json says "not graded", scoring nothing', async () => {
    const out = await tempDir('cli-fault');
    const run = await propgrade(['grade', CORRECT, '--out', out, '--seed', '1', '--runs', '2'], await closedTmp());
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/total\s+NOT GRADED: the grader itself failed/);
    expect(run.stderr).toContain('propgrade grade: grader fault: could not start grading: SandboxStartError: the sandbox runs as nobody, who cannot reach');
    const results = await readJson(join(out, 'results.json'));
    expect(gradescopeProblems(results)).toEqual([]);
    expect(results).toMatchObject({ score: 0, extra_data: { not_graded: true } });
    expect(results.tests.every((t: { max_score: number }) => t.max_score === 0)).toBe(true);
  });

  test('batch marks the submission not graded and exits 3; --resume on a working machine grades it', async () => {
    const classDir = await tempDir('cli-class');
    await cp(CORRECT, join(classDir, 'ada'), { recursive: true });
    await mkdir(join(classDir, 'bob'));
    const out = await tempDir('cli-batch');
    const args = ['batch', classDir, '--out', out, '--seed', '3', '--runs', '2', '--workers', '2'];

    const broken = await propgrade(args, await closedTmp());
    expect(broken.code).toBe(3);
    expect(broken.stdout).toContain('none graded, 1 with no submission, 1 NOT GRADED');
    expect(broken.stderr).toMatch(/propgrade batch: not graded: ada: could not start grading: SandboxStartError: the sandbox runs as nobody/);
    const before: ClassSummary = await readJson(join(out, 'summary.json'));
    expect(before).toMatchObject({ submissions: 2, graded: 0, noSubmission: [{ name: 'bob' }], notGraded: [{ name: 'ada', fault: 'grader-fault' }] });
    expect(before.students.find((s) => s.name === 'ada')).toMatchObject({ status: 'not-graded', score: null });

    const fixed = await propgrade([...args, '--resume']);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('graded 1 submission(s) (1 kept from an earlier run): mean 6 / 6 over 1 graded, 1 with no submission');
    const after: ClassSummary = await readJson(join(out, 'summary.json'));
    expect(after).toMatchObject({ graded: 1, notGraded: [], students: [{ name: 'ada', status: 'graded', score: 6 }, { name: 'bob', status: 'no-submission', score: 0 }] });
  });
});

/** A layer this machine does not run: as root the sandbox never uses a user namespace, without root it never drops to nobody. */
const ABSENT = process.getuid?.() === 0 ? 'user-namespace' : 'user-nobody';

describe(`a required layer this machine does not run (--require-layers ${ABSENT})`, () => {
  test('grade refuses to grade below it: exit 3, not graded, and it says which layer and what ran instead', async () => {
    const out = await tempDir('cli-layers');
    const run = await propgrade(['grade', CORRECT, '--out', out, '--seed', '1', '--runs', '2', '--require-layers', ABSENT]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`could not start grading: SandboxStartError: the sandbox cannot start: the layer(s) ${ABSENT} are required, and this machine runs only `);
    const results = await readJson(join(out, 'results.json'));
    expect(gradescopeProblems(results)).toEqual([]);
    expect(results).toMatchObject({ score: 0, extra_data: { not_graded: true } });
  });

  test('batch: not graded, counted apart, and --resume without the requirement grades it', async () => {
    const classDir = await tempDir('cli-layers-class');
    await cp(CORRECT, join(classDir, 'ada'), { recursive: true });
    const out = await tempDir('cli-layers-batch');
    const args = ['batch', classDir, '--out', out, '--seed', '3', '--runs', '2'];
    const refused = await propgrade([...args, '--require-layers', ABSENT]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('none graded, 1 NOT GRADED');
    expect(await readJson(join(out, 'summary.json'))).toMatchObject({ graded: 0, notGraded: [{ name: 'ada' }], students: [{ name: 'ada', status: 'not-graded', score: null }] });
    const fixed = await propgrade([...args, '--resume']);
    expect(fixed.code).toBe(0);
    expect(await readJson(join(out, 'summary.json'))).toMatchObject({ graded: 1, notGraded: [], students: [{ name: 'ada', status: 'graded', score: 6 }] });
  });

  test('an unknown layer name is a usage error that lists the known ones', async () => {
    const run = await propgrade(['grade', CORRECT, '--require-layers', 'net-namespace,moat']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--require-layers: unknown layer(s) moat (known: user-namespace, net-namespace');
  });
});

test('batch on an empty class folder exits 2 and says so', async () => {
  const empty = await tempDir('cli-empty');
  const run = await propgrade(['batch', empty, '--out', await tempDir('cli-out')]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`propgrade batch: no submission folder in '${empty}' (one folder per student, holding lab.ts); it is empty`);
});
