/**
 * A domain mutation operator plants one mistake students make, wherever it fits in the reference's
 * syntax tree. Each match is one mutant: a few text edits of the reference (edit.ts).
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile } from 'ts-morph';
import type { Edit } from './edit.ts';

export interface Operator {
  /** kebab-case, stable (it names the mutants: `relu-dropped#2`). */
  id: string;
  /** The mistake, as staff would describe it. */
  title: string;
  /** One list of edits per mutant. */
  mutate(file: SourceFile): Edit[][];
}

export const replace = (node: Node, text: string): Edit => ({ start: node.getStart(), end: node.getEnd(), text });

export const insertAt = (position: number, text: string): Edit => ({ start: position, end: position, text });

/** The calls `receiver.method(...)` (any receiver when `receiver` is omitted). */
export function methodCalls(file: SourceFile | Node, method: string, receiver?: string) {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => {
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === method && (receiver === undefined || callee.getExpression().getText() === receiver);
  });
}

/** `receiver` in the call `receiver.method(...)`. */
export const receiverOf = (call: CallExpression) => call.getExpression().asKindOrThrow(SyntaxKind.PropertyAccessExpression).getExpression();

/** The calls `name(...)` of a plain function. */
export const calls = (file: SourceFile | Node, name: string) =>
  file.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => call.getExpression().getText() === name);

/** The edit that adds `name` to the engine import when the reference does not import it yet. */
export function importing(file: SourceFile, name: string): Edit[] {
  const engine = file.getImportDeclarationOrThrow('propgrade/autograd');
  if (engine.getNamedImports().some((i) => i.getName() === name)) return [];
  const first = engine.getNamedImports()[0]!;
  return [insertAt(first.getStart(), `${name}, `)];
}
