/** `no-prototype-patching`: built-in prototypes and the engine's exports and methods stay as they are. */
import { Node, ts } from 'ts-morph';
import type { Lab } from '../lab.ts';
import type { Check, Hit } from './check.ts';
import { memberAccess, quote, unwrap } from '../syntax.ts';

/** `=`, `+=`, `??=` and every other assignment operator. */
const isAssignment = (kind: ts.SyntaxKind) => kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;

/** `Object.defineProperty(target, ...)` and friends change their first argument. */
const OBJECT_PATCHERS = new Set(['defineProperty', 'defineProperties', 'assign', 'setPrototypeOf']);

/** The object `Object.defineProperty(object, ...)`, `Object.assign(object, ...)` and friends change. */
function redefined(node: Node): Node | undefined {
  if (!Node.isCallExpression(node)) return undefined;
  const callee = unwrap(node.getExpression());
  const isPatcher = Node.isPropertyAccessExpression(callee) && callee.getExpression().getText() === 'Object' && OBJECT_PATCHERS.has(callee.getName());
  return isPatcher ? node.getArguments()[0] : undefined;
}

/** What `node` assigns to: an assignment's left side, `x++`, `delete x`. */
function assigned(node: Node): Node | undefined {
  if (Node.isBinaryExpression(node) && isAssignment(node.getOperatorToken().getKind())) return node.getLeft();
  if ((Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) &&
    [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes(node.getOperatorToken())) {
    return node.getOperand();
  }
  return Node.isDeleteExpression(node) ? node.getExpression() : undefined;
}

const replacesBehaviour = (declaration: Node): boolean =>
  Node.isMethodDeclaration(declaration) || Node.isFunctionDeclaration(declaration) || Node.isClassDeclaration(declaration);

/** Why changing `target` patches shared code, walking its chain `a.b[c].d` from the outside in. */
function patchOf(lab: Lab, target: Node): string | undefined {
  for (let node = unwrap(target); ; ) {
    const access = memberAccess(lab, node);
    if (access) {
      if (access.names?.some((n) => n === 'prototype' || n === '__proto__')) return 'patches a prototype shared by all code';
      const engine = lab.engineSymbol(Node.isPropertyAccessExpression(node) ? node.getNameNode() : node);
      if (engine?.getDeclarations().some(replacesBehaviour)) return `replaces the engine's \`${engine.getName()}\``;
      node = unwrap(access.object);
    } else if (Node.isCallExpression(node)) {
      return /getPrototypeOf$/.test(node.getExpression().getText()) ? 'patches a prototype shared by all code' : undefined;
    } else {
      const engine = Node.isIdentifier(node) ? lab.engineSymbol(node) : undefined;
      if (!engine) return undefined;
      return engine.getDeclarations().some(Node.isSourceFile) ? "changes the engine's namespace" : `replaces the engine's \`${engine.getName()}\``;
    }
  }
}

export const noPrototypePatching: Check = (lab, { nodes }) => {
  const hits: Hit[] = [];
  for (const node of nodes) {
    const object = redefined(node);
    const target = object ?? assigned(node);
    if (!target) continue;
    // Setting `t.requiresGrad` is an assignment the engine allows; redefining a tensor's members is not.
    const why = patchOf(lab, target) ?? (object && lab.isEngineType(unwrap(object).getType()) ? 'redefines members of an engine tensor' : undefined);
    if (why) hits.push({ node, message: `\`${quote(target)}\`: ${why}` });
  }
  return hits;
};
