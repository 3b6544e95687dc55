/** `no-prototype-patching`: built-in prototypes and the engine's exports and methods stay as they are. */
import { Node, ts } from 'ts-morph';
import type { Lab } from '../lab.ts';
import { quote, type Check, type Hit } from './check.ts';
import { memberAccess, unwrap } from './escape-hatches.ts';

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.AsteriskAsteriskEqualsToken, ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.LessThanLessThanEqualsToken, ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken, ts.SyntaxKind.AmpersandEqualsToken, ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.CaretEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

/** `Object.defineProperty(target, ...)` and friends change their first argument. */
const OBJECT_PATCHERS = new Set(['defineProperty', 'defineProperties', 'assign', 'setPrototypeOf']);

/** What `node` changes in place: an assignment's left side, `x++`, `delete x`, `Object.assign(x, ...)`. */
function mutated(node: Node): Node | undefined {
  if (Node.isBinaryExpression(node) && ASSIGNMENTS.has(node.getOperatorToken().getKind())) return node.getLeft();
  if ((Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) &&
    [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes(node.getOperatorToken())) {
    return node.getOperand();
  }
  if (Node.isDeleteExpression(node)) return node.getExpression();
  if (Node.isCallExpression(node)) {
    const callee = unwrap(node.getExpression());
    if (Node.isPropertyAccessExpression(callee) && callee.getExpression().getText() === 'Object' && OBJECT_PATCHERS.has(callee.getName())) {
      return node.getArguments()[0];
    }
  }
  return undefined;
}

const replacesBehaviour = (declaration: Node): boolean =>
  Node.isMethodDeclaration(declaration) || Node.isFunctionDeclaration(declaration) || Node.isClassDeclaration(declaration);

/** Why changing `target` patches shared code, walking its chain `a.b[c].d` from the outside in. */
function patchOf(lab: Lab, target: Node): string | undefined {
  for (let node = unwrap(target); ; ) {
    const access = memberAccess(lab, node);
    if (access) {
      if (access.name === 'prototype' || access.name === '__proto__') return 'patches a prototype shared by all code';
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
    const target = mutated(node);
    const why = target && patchOf(lab, target);
    if (why) hits.push({ node, message: `\`${quote(target!)}\`: ${why}` });
  }
  return hits;
};
