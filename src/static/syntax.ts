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

/** A member read: `o.name`, `o['name']`, `const { name } = o`; `name` is undefined when computed. */
export function memberAccess(lab: Lab, node: Node): { object: Node; name: string | undefined } | undefined {
  if (Node.isPropertyAccessExpression(node)) return { object: node.getExpression(), name: node.getName() };
  if (Node.isElementAccessExpression(node)) {
    const key = node.getArgumentExpression();
    return { object: node.getExpression(), name: key && lab.constantKey(key) };
  }
  if (Node.isBindingElement(node) && Node.isObjectBindingPattern(node.getParent())) {
    const key = node.getPropertyNameNode() ?? node.getNameNode();
    const name = Node.isComputedPropertyName(key) ? lab.constantKey(key.getExpression()) : key.getText();
    return { object: node.getParentOrThrow(), name };
  }
  return undefined;
}

/** Source text for a message: on one line, and short. */
export function quote(node: Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
