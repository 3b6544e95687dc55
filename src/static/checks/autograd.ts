/**
 * `uses-backward` and `no-autograd`: how an export gets its gradient, judged over everything it
 * reaches. Names are resolved by the type checker, so aliases, destructuring, renamed imports and
 * constant element keys count as the engine member they denote.
 */
import { Node } from 'ts-morph';
import type { Lab } from '../lab.ts';
import type { Check, Hit } from './check.ts';
import { memberAccess, stringValue, unwrap } from '../syntax.ts';

const AUTOGRAD = new Set(['backward', 'grad', 'requiresGrad', 'noGrad', 'gradcheck', 'defineOp']);

/**
 * The engine name `node` denotes, when `node` is a name or a constant element access. On an
 * untyped value (`U.grad` with `U` an untyped parameter) an autograd member's name is all there is
 * to go on, and it counts.
 */
function engineName(lab: Lab, node: Node): string | undefined {
  if (!Node.isIdentifier(node) && !Node.isElementAccessExpression(node)) return undefined;
  const symbol = lab.engineSymbol(node);
  if (symbol) return symbol.getName();
  const parent = node.getParentOrThrow();
  const namesMemberOf =
    (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === node) ||
    (Node.isBindingElement(parent) && (parent.getPropertyNameNode() ?? parent.getNameNode()) === node);
  const access = memberAccess(lab, namesMemberOf ? parent : node);
  const untyped = access !== undefined && lab.originType(access.object).isAny();
  return untyped ? access.names?.find((name) => AUTOGRAD.has(name)) : undefined;
}

/**
 * Does calling `callee` call the engine's `backward`? Follows `t.backward`, `t['backward']`,
 * `const b = t.backward` then `b()`, `b.call(t)`, `b.apply(t)`, `t.backward.bind(t)()`, and
 * helpers that return the method (their result has the method's type).
 */
function callsBackward(lab: Lab, callee: Node, depth = 0): boolean {
  const node = unwrap(callee);
  if (engineName(lab, Node.isPropertyAccessExpression(node) ? node.getNameNode() : node) === 'backward') return true;
  if (depth > 8) return false;
  if (Node.isPropertyAccessExpression(node) && ['call', 'apply', 'bind'].includes(node.getName())) {
    return callsBackward(lab, node.getExpression(), depth + 1);
  }
  if (Node.isCallExpression(node) && callsBackward(lab, node.getExpression(), depth + 1)) return true;
  const initializers = Node.isIdentifier(node)
    ? lab.symbols(node).flatMap((s) => s.getDeclarations().flatMap((d) => (Node.isVariableDeclaration(d) ? (d.getInitializer() ?? []) : [])))
    : [];
  if (initializers.some((value) => callsBackward(lab, value, depth + 1))) return true;
  // Anything else whose value has the method's type: `o.run()` with `o = { run: t.backward }`, `pick(t)()`.
  const typeSymbol = node.getType().getSymbol();
  return typeSymbol !== undefined && typeSymbol.getName() === 'backward' && lab.declaredIn(typeSymbol, lab.engine);
}

export const usesBackward: Check = (lab, { nodes, anchor, exportName }) => {
  const calls = nodes.some((n) => Node.isCallExpression(n) && callsBackward(lab, n.getExpression()));
  const readsGrad = nodes.some((n) => engineName(lab, n) === 'grad');
  if (calls && readsGrad) return [];
  const missing = !calls && !readsGrad ? 'neither calls backward() nor reads .grad' : !calls ? 'never calls backward()' : 'never reads .grad';
  return [{ node: anchor, message: `${exportName} ${missing} on an engine tensor, directly or through its helpers` }];
};

/** A name spelled as a string, for `Object.getOwnPropertyDescriptor(proto, 'backward')` and the like. */
const spelled = (node: Node): string | undefined =>
  Node.isElementAccessExpression(node.getParent()) ? undefined : stringValue(node);

export const noAutograd: Check = (lab, { nodes, exportName }) => {
  const hits: Hit[] = [];
  for (const node of nodes) {
    // `export { gradcheck as bpttGradU }`: one finding, on the engine's name.
    const parent = node.getParent();
    if (Node.isExportSpecifier(parent) && parent.getAliasNode() === node) continue;
    const name = engineName(lab, node) ?? spelled(node);
    if (name && AUTOGRAD.has(name)) hits.push({ node, message: `\`${name}\` is autograd, used in code that ${exportName} reaches` });
  }
  return hits;
};
