import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { labCoverage, writeCoverage } from '../../src/reports/coverage.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'propgrade-coverage-'));
  await writeFile(join(dir, 'helper.ts'), 'export const half = (x: number): number => x / 2;\n');
  await writeFile(
    join(dir, 'lab.ts'),
    ["import { half } from './helper.ts';", 'export function sign(x: number): number {', '  if (x > 0) {', '    return half(2);', '  }', '  return -1;', '}', ''].join('\n'),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Bundles lab.ts (and its helper, standing in for the engine) with `main`, runs it under NODE_V8_COVERAGE. */
async function covered(name: string, main: string) {
  const file = join(dir, `${name}.mjs`);
  await build({
    stdin: { contents: `import { sign } from './lab.ts';\n${main}\n`, resolveDir: dir, loader: 'ts' },
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    sourcemap: 'linked',
    sourcesContent: true,
    logLevel: 'silent',
  });
  const raw = join(dir, `${name}-raw`);
  execFileSync(process.execPath, [file], { env: { NODE_V8_COVERAGE: raw } });
  const bundle = { file, code: await readFile(file, 'utf8'), map: await readFile(`${file}.map`, 'utf8') };
  const map = await labCoverage(raw, bundle, join(dir, 'lab.ts'));
  return { map, summary: writeCoverage(map, join(dir, `${name}-report`)) };
}

test('only lab.ts is kept, and a branch never taken shows', async () => {
  const { map, summary } = await covered('half', 'sign(1);');
  expect(map.files()).toEqual([join(dir, 'lab.ts')]);
  // Lines 2-4 ran; V8's block after `if` runs from `return -1` (line 6) to the closing brace.
  const uncovered = map.fileCoverageFor(join(dir, 'lab.ts')).getUncoveredLines();
  expect(uncovered).toContain('6');
  expect(uncovered.filter((line) => ['2', '3', '4'].includes(line))).toEqual([]);
  expect(summary!.lines).toBeLessThan(100);
  expect(summary!.branches).toBeLessThan(100);
  const json = JSON.parse(await readFile(summary!.jsonPath, 'utf8'));
  expect(Object.keys(json)).toEqual([join(dir, 'lab.ts')]);
  expect((await stat(summary!.htmlPath)).isFile()).toBe(true);
});

test('both branches taken: full coverage', async () => {
  const { summary } = await covered('full', 'sign(1); sign(-1);');
  expect(summary).toMatchObject({ lines: 100, branches: 100 });
});

test('no raw coverage left: no summary rather than 0%', async () => {
  const bundle = { file: join(dir, 'none.mjs'), code: '', map: '{}' };
  const map = await labCoverage(join(dir, 'absent'), bundle, join(dir, 'lab.ts'));
  expect(writeCoverage(map, join(dir, 'none-report'))).toBeUndefined();
});
