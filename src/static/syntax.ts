/** Small syntax helpers shared by the checks. */
import { Node } from 'ts-morph';
import type { Lab } from './lab.ts';

/** Parentheses, casts and `!`: they change nothing at runtime. */
export const isWrapper = (node: Node): node is Node & { getExpression(): Node } =>
  Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isNonNullExpression(node) || Node.isSatisfiesExpression(node);

/** `node` without parentheses, casts and `!`. */
export function unwrap(node: Node): Node {
  while (isWrapper(node)) node = node.getExpression();
  return node;
}

/**
 * A member read: `o.name`, `o['name']`, `o[k]` with `k: 'a' | 'b'`, `const { name } = o`; `names`
 * is undefined when the key is computed at runtime.
 */
export function memberAccess(lab: Lab, node: Node): { object: Node; names: string[] | undefined } | undefined {
  if (Node.isPropertyAccessExpression(node)) return { object: node.getExpression(), names: [node.getName()] };
  if (Node.isElementAccessExpression(node)) {
    const key = node.getArgumentExpression();
    return { object: node.getExpression(), names: key && lab.constantKeys(key) };
  }
  if (Node.isBindingElement(node) && Node.isObjectBindingPattern(node.getParent())) {
    const key = node.getPropertyNameNode() ?? node.getNameNode();
    const names = Node.isComputedPropertyName(key) ? lab.constantKeys(key.getExpression()) : [key.getText()];
    return { object: node.getParentOrThrow(), names };
  }
  return undefined;
}

/** The value of a string written whole in the source: `'x'`, `"x"` or `` `x` `` without substitutions. */
export const stringValue = (node: Node): string | undefined =>
  Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) ? node.getLiteralValue() : undefined;

/** Source text for a message: on one line, and short. */
export function quote(node: Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
