/**
 * The walls the design rests on, read off the source itself (imports, bundles, string literals):
 *   1. the engine (src/autograd) imports nothing else of the project;
 *   2. the student's sandboxed process holds nothing secret: its bundle is the submission, the
 *      engine, the harness and the lab's public driver;
 *   3. nothing under src/ imports a lab or names a lab's task, export or example data;
 * and the folders of src/ import each other without cycles.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { bundledLabs, loadLab } from '../src/lab/load.ts';
import { bootOf, bundleSubmission } from '../src/sandbox/build.ts';
import { PROJECT_ROOT } from '../src/gradescope/package.ts';
import { ATTENTION } from './helpers/attention.ts';
import { corpusSubmission, RNN } from './helpers/rnn.ts';

const SRC = join(PROJECT_ROOT, 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic `import('...')` with a literal). */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) found.push(node.arguments[0].text);
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) found.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The project files a file imports, resolved (packages left out). */
const localImports = (file: string) => importsOf(file).filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s));

const within = (path: string, dir: string) => !relative(dir, path).startsWith('..');

describe('wall 1: the engine stands alone', () => {
  test('src/autograd imports only src/autograd (and no package)', () => {
    const outside = filesUnder(join(SRC, 'autograd')).flatMap((file) =>
      importsOf(file)
        .filter((s) => !s.startsWith('.') || !within(resolve(dirname(file), s), join(SRC, 'autograd')))
        .map((s) => `${relative(PROJECT_ROOT, file)} imports ${s}`),
    );
    expect(outside).toEqual([]);
  });
});

describe('wall 2: the sandboxed bundle holds nothing secret', () => {
  test("a submission's bundle is built from the submission, the engine, the harness and the lab's driver only", async () => {
    const lab = join(corpusSubmission('correct-loops'), 'lab.ts');
    const bundle = await bundleSubmission(lab, { entry: 'child', driver: RNN.paths.driver });
    try {
      const map = JSON.parse(await readFile(bundle.map, 'utf8')) as { sources: string[] };
      const sources = map.sources.map((s) => relative(PROJECT_ROOT, resolve(dirname(bundle.map), s)));
      const allowed = (path: string) =>
        path === relative(PROJECT_ROOT, lab) ||
        path === relative(PROJECT_ROOT, RNN.paths.driver!) ||
        path.startsWith(`src${sep}autograd${sep}`) ||
        ['harness.ts', 'trace.ts', 'protocol.ts'].some((f) => path === join('src', 'sandbox', f)) ||
        path.endsWith('propgrade-entry.ts');
      expect(sources.filter((s) => !allowed(s))).toEqual([]);
      // And not a byte of the reference, the hidden properties or the oracle module.
      const text = await readFile(bundle.file, 'utf8');
      for (const secret of [RNN.paths.reference!, RNN.paths.oracle!, join(RNN.dir, 'hidden.ts')]) expect(text).not.toContain(relative(PROJECT_ROOT, secret));
    } finally {
      await bundle.remove();
    }
  });

  test("the child's boot beside the bundle is the same for every submission and lab: it holds nothing of either", async () => {
    const boots = [];
    for (const [lab, driver] of [[join(corpusSubmission('correct-loops'), 'lab.ts'), RNN.paths.driver], [ATTENTION.paths.reference!, ATTENTION.paths.driver]] as const) {
      const bundle = await bundleSubmission(lab, { entry: 'child', driver });
      boots.push(await readFile(bootOf(bundle.dir), 'utf8'));
      await bundle.remove();
    }
    expect(boots[1]).toBe(boots[0]);
    const labWords = [RNN, ATTENTION].flatMap((lab) => lab.tasks.flatMap((task) => [task.id, ...task.exports.map((e) => e.name)]));
    for (const word of ['lab.ts', 'createHandler', 'Tensor', ...labWords]) expect(boots[0]).not.toContain(word);
  });
});

describe('wall 3: the framework knows no lab', () => {
  test('nothing under src/ imports a lab folder (only verify-engine reaches specs/engine, the engine-vs-oracle properties, which are no lab)', async () => {
    const labs = await bundledLabs();
    expect(labs.length).toBeGreaterThanOrEqual(2);
    const found = filesUnder(SRC).flatMap((file) =>
      localImports(file)
        .filter((p) => labs.some((lab) => within(p, lab)))
        .map((p) => `${relative(PROJECT_ROOT, file)} imports ${relative(PROJECT_ROOT, p)}`),
    );
    expect(found).toEqual([]);
  });

  test("no string or identifier under src/ names a bundled lab's task, export or example data", async () => {
    const labs = await Promise.all((await bundledLabs()).map((dir) => loadLab(dir)));
    expect(labs.map((l) => l.id)).toContain('rnn');
    // Engine ops have a `forward` and a `backward`: those words are the engine's own, not a lab's export.
    const generic = new Set(['forward', 'backward']);
    const names = new Set(labs.flatMap((l) => [...l.tasks.map((t) => t.id), ...l.exports.map((e) => e.name)]));
    const numberArrays = labs.flatMap((l) => l.tasks.flatMap((t) => t.rules.flatMap((r) => exampleArrays(r.data))));
    const problems: string[] = [];
    for (const file of filesUnder(SRC)) {
      const where = relative(PROJECT_ROOT, file);
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) && names.has(node.text) && !generic.has(node.text)) problems.push(`${where}: identifier ${node.text}`);
        if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
          for (const name of names) if (!generic.has(name) && new RegExp(`(^|[^\\w])${name}([^\\w]|$)`).test(node.text)) problems.push(`${where}: '${node.text}' names ${name}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      const compact = readFileSync(file, 'utf8').replace(/\s+/g, '');
      for (const array of numberArrays) if (compact.includes(array)) problems.push(`${where}: holds the example's data ${array}`);
    }
    expect(problems).toEqual([]);
  });
});

/** The example data a rule use carries, as the compact text of each nested array (`[[-0.3,0.6],[0.2,0.1]]`). */
function exampleArrays(data: unknown): string[] {
  if (typeof data !== 'object' || data === null) return [];
  const { inputs = {}, outputs = {} } = data as { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  return [...Object.values(inputs), ...Object.values(outputs)].filter((v) => Array.isArray(v) && JSON.stringify(v).length > 12).map((v) => JSON.stringify(v));
}

describe('no import cycles between the folders of src/', () => {
  test('the folder graph is acyclic', () => {
    const folderOf = (file: string) => relative(SRC, file).split(sep)[0]!;
    const edges = new Map<string, Set<string>>();
    for (const file of filesUnder(SRC)) {
      const from = folderOf(file);
      for (const target of localImports(file)) {
        if (!within(target, SRC)) continue;
        const to = folderOf(target);
        if (to !== from && !to.endsWith('.ts')) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
      }
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) return void cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of edges.keys()) visit(node, []);
    expect([...new Set(cycles)]).toEqual([]);
  });
});
