/**
 * An outside TypeScript project imports the three entry points (CONTRACT section 1) and typechecks
 * with `tsc --init`'s settings, and with TypeScript's older module resolution (no `exports`): the
 * declarations in dist/types are what it reads, never the project's .ts source.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../src/gradescope/package.ts';
import { tempDir } from '../helpers/temp.ts';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const tsc = (cwd: string, ...args: string[]) => {
  try {
    return { code: 0, out: execFileSync(process.execPath, [TSC, ...args], { cwd, encoding: 'utf8' }) };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
};

/** What a course's own code does with propgrade: write a lab's piece, grade, use the engine. */
const USER_CODE = `import { tensor, type Tensor } from 'propgrade/autograd';
import { defineTask, example, expectTensorClose, fn, t } from 'propgrade/spec';
import { gradeSubmission, loadLab, writeReports, type GradeReport } from 'propgrade';

export const double = fn('double', { params: { x: t.tensor('n') }, returns: t.tensor('n') });

export const task = defineTask({
  id: 'double',
  title: 'Twice the input',
  points: 1,
  exports: [double],
  rules: [],
  properties: [
    example('example', 'double([1, 2]) is [2, 4]', async (lab) => {
      expectTensorClose(await double.call(lab, { x: { shape: [2], data: Float64Array.of(1, 2) } }), { shape: [2], data: Float64Array.of(2, 4) }, { what: 'double' });
    }),
  ],
});

export function engine(): number {
  const x: Tensor = tensor([1, 2], { requiresGrad: true });
  const y = x.mul(x).sum();
  y.backward();
  return x.grad!.sum().item() + y.item();
}

export async function grade(dir: string): Promise<number> {
  const lab = await loadLab('labs/course');
  const report: GradeReport = await gradeSubmission(dir, { lab, seed: 1 });
  await writeReports(report, 'out', lab);
  return report.tasks.length;
}
`;

let project: string;
beforeAll(async () => {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts/build.mjs')], { stdio: 'pipe' });
  project = await tempDir('outside-project');
  await mkdir(join(project, 'node_modules'));
  await symlink(PROJECT_ROOT, join(project, 'node_modules', 'propgrade'));
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'course', type: 'module', private: true }));
  await writeFile(join(project, 'index.ts'), USER_CODE);
}, 120_000);

test("with tsc --init's settings (module nodenext, strict)", async () => {
  expect(tsc(project, '--init').code).toBe(0);
  expect(tsc(project, '--noEmit', '-p', '.')).toEqual({ code: 0, out: '' });
});

test('with the older module resolution (node10: typesVersions instead of exports)', async () => {
  const result = tsc(project, '--noEmit', '--strict', '--skipLibCheck', '--module', 'commonjs', '--moduleResolution', 'node10', '--target', 'es2022', 'index.ts');
  expect(result).toEqual({ code: 0, out: '' });
});

test('a type error in the course code is still reported: the declarations are real', async () => {
  await writeFile(join(project, 'wrong.ts'), "import { tensor } from 'propgrade/autograd';\nexport const n: string = tensor([1]).item();\n");
  const result = tsc(project, '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2022', 'wrong.ts');
  expect(result.code).not.toBe(0);
  expect(result.out).toMatch(/wrong\.ts.*Type 'number' is not assignable to type 'string'/);
});
