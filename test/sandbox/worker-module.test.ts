/**
 * What a budget worker imports (src/sandbox/budget.ts): from the prebuilt command line the entry
 * built from the module (no TypeScript compiler in the thread), from source the source; and every
 * module the grader runs in a worker has a built entry (scripts/build-cli.mjs's WORKER_MODULES).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
// @ts-expect-error: plain JavaScript modules without declarations
import { WORKER_MODULES } from '../../scripts/build-cli.mjs';
import { workerModule } from '../../src/sandbox/budget.ts';
import { ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';

const SRC = pathToFileURL(join(ROOT, 'src/'));
const staticChecks = new URL('static/index.ts', SRC);

test('from source (no build), a worker imports the source', () => {
  expect(workerModule(staticChecks)).toEqual(staticChecks);
});

test('from a build, the entry built from the module while there is one, else the source', async () => {
  const built = await tempDir('worker-module');
  await mkdir(join(built, 'static'));
  await writeFile(join(built, 'static/index.js'), 'export {};\n');
  const dir = pathToFileURL(`${built}/`);
  expect(workerModule(staticChecks, dir).href).toBe(new URL('static/index.js', dir).href);
  const graph = new URL('reports/graph.ts', SRC);
  expect(workerModule(graph, dir)).toEqual(graph);
  // A module outside src/ (a test's own) has no built entry.
  const outside = pathToFileURL(join(ROOT, 'test/helpers/hog.ts'));
  expect(workerModule(outside, dir)).toEqual(outside);
});

test('every module the grader runs within a budget is built as a worker entry', async () => {
  const sources = (await readdir(join(ROOT, 'src'), { recursive: true })).filter((path) => path.endsWith('.ts'));
  const called = new Set<string>();
  for (const path of sources) {
    const text = await readFile(join(ROOT, 'src', path), 'utf8');
    for (const match of text.matchAll(/withinBudget(?:<[^>]*>)?\(new URL\('([^']+)', import\.meta\.url\)/g)) {
      called.add(new URL(match[1]!, new URL(path, SRC)).href.slice(SRC.href.length));
    }
  }
  expect([...called].sort()).toEqual([...WORKER_MODULES].sort());
});
