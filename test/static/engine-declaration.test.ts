/**
 * src/static/autograd.d.ts, the engine as the static checks see it, names exactly what the real
 * engine exports and every member of its Tensor (internals included, so reaching them is caught).
 */
import { fileURLToPath } from 'node:url';
import { Project, type ClassDeclaration, type SourceFile } from 'ts-morph';
import { expect, test } from 'vitest';

const project = new Project({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true }, skipAddingFilesFromTsConfig: true });
const open = (path: string) => project.addSourceFileAtPath(fileURLToPath(new URL(path, import.meta.url)));
const engine = open('../../src/autograd/index.ts');
const declared = open('../../src/static/autograd.d.ts');
project.resolveSourceFileDependencies();

const exported = (file: SourceFile) => [...file.getExportedDeclarations().keys()].sort();

function members(tensor: ClassDeclaration): string[] {
  const names = tensor.getMembers().flatMap((m) => ('getName' in m && !m.getName().startsWith('[') ? [m.getName()] : []));
  return [...new Set(names)].sort();
}

const tensorOf = (file: SourceFile) => file.getExportedDeclarations().get('Tensor')![0] as ClassDeclaration;

test('the declaration exports the names the engine exports', () => {
  expect(exported(declared)).toEqual(exported(engine));
});

test("the declaration's Tensor has the engine's Tensor members", () => {
  expect(members(tensorOf(declared))).toEqual(members(tensorOf(engine)));
});

test('the engine internals are private in the declaration, so the checks can tell them apart', () => {
  const internals = tensorOf(declared).getInstanceProperties().filter((p) => p.getName().startsWith('_'));
  expect(internals.map((p) => p.getName()).sort()).toEqual(members(tensorOf(engine)).filter((name) => name.startsWith('_')));
  for (const member of internals) expect(member.getScope(), member.getName()).toBe('private');
});
