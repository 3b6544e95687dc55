/**
 * `propgrade assign`: the student kit of every bundled lab, copied outside the repository, installs
 * with `npm install` from its own files and the registry and runs `check` (the template fails with
 * counterexamples, the reference passes, a planted bug fails); the leak check catches a lab whose
 * hidden property, reference code or secret sneaks into the kit; the template is checked against
 * the signatures; a template can be made from SOLUTION markers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assign } from '../../src/assign/assign.ts';
import { stubSolutions, templateProblems, TemplateError } from '../../src/assign/template.ts';
import { bundledLabs, loadLab } from '../../src/lab/load.ts';
import { fn, value } from '../../src/spec/signature.ts';
import * as t from '../../src/spec/types-dsl.ts';
import { propgradeIn } from '../helpers/cli.ts';
import { RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const labs = await bundledLabs();

describe.each(labs.map((dir) => [dir.split('/').at(-1)!, dir]))('the kit of %s', (_name, dir) => {
  test('installs outside the repository and checks: template fails, reference passes, a bug fails', async () => {
    const lab = await loadLab(dir);
    const out = await tempDir(`assign-${lab.id}`);
    const result = await assign(lab, out, { verify: lab.id === 'rnn' });
    expect(result.problems).toEqual([]);
    expect(result.leaks).toEqual([]);

    // A copy anywhere: nothing of the repository's is reachable from there.
    const kit = join(await tempDir(`kit-${lab.id}`), 'my-lab');
    await cp(result.kit, kit, { recursive: true });
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: kit, stdio: 'pipe', timeout: 300_000 });
    const installed = JSON.parse(await readFile(join(kit, 'node_modules', 'propgrade', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(installed.dependencies).sort()).toEqual(['esbuild', 'fast-check', 'istanbul-lib-coverage', 'ts-morph', 'tsx']);
    const npx = (args: string[]) => {
      try {
        return { code: 0, out: execFileSync('npx', ['--no-install', 'propgrade', ...args], { cwd: kit, encoding: 'utf8', stdio: 'pipe' }) };
      } catch (error) {
        const e = error as { status: number; stdout: string; stderr: string };
        return { code: e.status, out: e.stdout + e.stderr };
      }
    };

    const template = npx(['check', '--seed', '1']);
    expect(template.code).toBe(1);
    // The untouched stubs are tasks still to do: said once per task, not as counterexamples.
    expect(template.out).toMatch(/: not implemented yet \(/);
    expect(template.out).not.toMatch(/matches-reference/);

    await cp(lab.paths.reference!, join(kit, lab.submission));
    const reference = npx(['check', '--seed', '1']);
    expect(reference.out).toMatch(/ 0 failed/);
    expect(reference.code).toBe(0);

    // A planted bug of the lab's corpus: one whose public properties catch it.
    const buggy = corpusBugCaughtPublicly(lab.paths.corpus!);
    await cp(join(lab.paths.corpus!, buggy, lab.submission), join(kit, lab.submission));
    const bug = npx(['check', '--seed', '1']);
    expect(bug.code).toBe(1);
    // The replay printed is a command the student can run in the kit.
    expect(bug.out).toMatch(/Replay it with: npx propgrade check/);

    expect(npx(['check', '--hidden']).out).toMatch(/hidden properties .* are not here/);
  }, 600_000);
});

/** The first corpus submission whose bug the lab's fixed example catches (so any seed's public check fails it). */
function corpusBugCaughtPublicly(corpus: string): string {
  for (const name of readdirSync(corpus).sort()) {
    const file = join(corpus, name, 'expected.json');
    if (!existsSync(file)) continue;
    const expected = JSON.parse(readFileSync(file, 'utf8')) as { bug: string | null; exampleCatches?: Record<string, boolean> };
    if (expected.bug && Object.values(expected.exampleCatches ?? {}).some(Boolean)) return name;
  }
  throw new Error(`${corpus}: no bug the example catches`);
}

/** A small lab in a folder of its own, written from the outside against the public API. */
async function tinyLab(publicExtra = ''): Promise<string> {
  const dir = join(await tempDir('tiny-lab'), 'double');
  await mkdir(join(dir, 'reference'), { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(
    join(dir, 'index.ts'),
    `import { defineLab, defineTask, example, expectTensorClose, fn, plain, t } from 'propgrade/spec';
export const double = fn('double', { params: { x: t.tensor('n') }, returns: t.tensor('n') });
${publicExtra}
export default defineLab({
  id: 'double', title: 'Twice', reference: 'reference/lab.ts', hidden: 'hidden.ts',
  tasks: [defineTask({ id: 'double', title: 'Twice the input', points: 1, exports: [double], rules: [], properties: [
    example('example', 'double([1, 2]) is [2, 4]', async (lab) => expectTensorClose(await double.call(lab, { x: plain([1, 2]) }), plain([2, 4]), { what: 'double' })),
  ] })],
});
`,
  );
  await writeFile(
    join(dir, 'hidden.ts'),
    `import { hiddenProperties, property, fc, plain, expectTensorClose } from 'propgrade/spec';
import { double } from './index.ts';
export default hiddenProperties({ double: [property({ id: 'secret-law', title: 'the answer holds on the secret inputs of the course', visibility: 'hidden', runs: 5,
  cases: fc.integer(), check: async (lab, n) => expectTensorClose(await double.call(lab, { x: plain([n]) }), plain([2 * n]), { what: 'double' }) })] });
`,
  );
  await writeFile(
    join(dir, 'reference', 'lab.ts'),
    `import type { Tensor } from 'propgrade/autograd';
export function double(x: Tensor): Tensor {
  // BEGIN SOLUTION
  const twiceTheInputComputedByTheReference = x.mul(2);
  return twiceTheInputComputedByTheReference;
  // END SOLUTION
}
`,
  );
  return dir;
}

describe('the leak check', () => {
  test('a clean lab assigns, its template made from the SOLUTION markers', async () => {
    const lab = await loadLab(await tinyLab());
    const out = await tempDir('assign-tiny');
    const result = await assign(lab, out, { verify: false });
    expect(result.problems).toEqual([]);
    const template = await readFile(join(result.kit, 'lab.ts'), 'utf8');
    expect(template).toContain("throw new Error('double: not done yet');");
    expect(template).not.toContain('twiceTheInputComputedByTheReference');
  });

  test('a hidden property title, a reference line or the secret in a public file makes assign fail, naming each', async () => {
    const reference = '  const twiceTheInputComputedByTheReference = x.mul(2);';
    const lab = await loadLab(await tinyLab(`export const note = 'the answer holds on the secret inputs of the course';\n/* ${reference} */`));
    const result = await assign(lab, await tempDir('assign-leaky'), { verify: false });
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'the kit would leak the title of hidden property double › secret-law (in propgrade-lab/index.ts)',
        'the kit would leak a line of reference/lab.ts (in propgrade-lab/index.ts)',
      ]),
    );
  });

  test('the course secret found anywhere in the kit fails assign', async () => {
    process.env.PROPGRADE_SECRET = 'a-course-secret-of-forty-characters-000';
    try {
      const lab = await loadLab(await tinyLab("export const key = 'a-course-secret-of-forty-characters-000';"));
      const result = await assign(lab, await tempDir('assign-secret'), { verify: false });
      expect(result.problems).toContain('the kit would leak the course secret (in propgrade-lab/index.ts)');
    } finally {
      delete process.env.PROPGRADE_SECRET;
    }
  });
});

describe('templates', () => {
  test('a template is checked against the signatures: every export, with its parameters in order', () => {
    const exports = [fn('forward', { params: { input: t.tensor('N', 'd'), dim: t.size('d') }, returns: t.tensor('N', 'd') }), value('model', { type: 'Model' })];
    expect(templateProblems('export function forward(input: Tensor, dim: number) {}\nexport const model = {};', exports)).toEqual([]);
    expect(templateProblems('export function forward(dim: number, input: Tensor) {}', exports)).toEqual([
      "the template's forward(dim, input) does not take the signature's (input, dim)",
      'the template does not export model',
    ]);
    expect(templateProblems('export const forward = 1;\nexport const model = {};', exports)).toEqual(["the template's forward is not a function"]);
  });

  test('the bundled labs: each template agrees with its signatures and has a block for each written question', async () => {
    for (const dir of labs) {
      const lab = await loadLab(dir);
      const template = await readFile(lab.paths.template!, 'utf8');
      expect(templateProblems(template, lab.exports), lab.id).toEqual([]);
      for (const q of lab.questions) expect(template, `${lab.id}: ${q.id}`).toMatch(new RegExp(`/\\*\\s*ANSWER ${q.id}\\b`));
    }
  });

  test('SOLUTION markers: a region in a function becomes a throwing stub, one at the top level a TODO; unbalanced markers are refused', () => {
    const master = 'const helper = 1;\n// BEGIN SOLUTION\nconst table = [1];\n// END SOLUTION\nexport const f = (x: number) => {\n  // BEGIN SOLUTION\n  return x + helper;\n  // END SOLUTION\n};\n';
    expect(stubSolutions(master, 'ref.ts')).toBe("const helper = 1;\n// TODO: your code here.\nexport const f = (x: number) => {\n  // TODO: your code here.\n  throw new Error('f: not done yet');\n};\n");
    expect(() => stubSolutions('// BEGIN SOLUTION\nx', 'ref.ts')).toThrow(TemplateError);
    expect(() => stubSolutions('x\n// END SOLUTION', 'ref.ts')).toThrow(/ref\.ts:2: END SOLUTION without a BEGIN SOLUTION/);
    expect(() => stubSolutions('no markers', 'ref.ts')).toThrow(/no BEGIN SOLUTION/);
  });
});

test('propgrade assign on the command line refuses a missing --out and reports the kit it built', async () => {
  const run = await propgradeIn(RNN.dir, ['assign']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--out must be given\nusage: propgrade assign \[--lab DIR\] --out DIR \[--no-verify\]/);
});
