/** `imports-only-engine`: values come from the engine alone; other files and packages never load. */
import { isBuiltin } from 'node:module';
import { Node } from 'ts-morph';
import { ENGINE_SPECIFIER } from '../lab.ts';
import type { Check, Hit } from './check.ts';

function what(specifier: string): string {
  if (specifier.startsWith('@tensorflow/')) return 'TensorFlow.js is not available to the lab';
  if (isBuiltin(specifier)) return 'Node built-ins are not available to the lab';
  if (/^(\.|\/|[A-Za-z]:[\\/]|file:)/.test(specifier)) return 'the submission is its one file; other files are not loaded';
  return 'only the engine is available to the lab';
}

export const importsOnlyEngine: Check = (_lab, { nodes }) => {
  const hits: Hit[] = [];
  for (const node of nodes) {
    let specifier: Node | undefined;
    // `import type` and `export type ... from` vanish at runtime; an inline `{ type X }` leaves the import behind.
    if (Node.isImportDeclaration(node) && !node.isTypeOnly()) specifier = node.getModuleSpecifier();
    else if (Node.isExportDeclaration(node) && !node.isTypeOnly()) specifier = node.getModuleSpecifier();
    else if (Node.isExternalModuleReference(node)) specifier = node.getExpression();
    if (!specifier) continue;
    const name = Node.isStringLiteral(specifier) ? specifier.getLiteralValue() : specifier.getText();
    if (name !== ENGINE_SPECIFIER) hits.push({ node: specifier, message: `imports '${name}': ${what(name)}` });
  }
  return hits;
};
