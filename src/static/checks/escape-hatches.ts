/**
 * `no-escape-hatches`: nothing that runs code from strings, loads other code, reaches the grader's
 * process or global objects, or reaches into the engine's internals.
 */
import { Node, ts, type ElementAccessExpression, type Identifier, type Symbol } from 'ts-morph';
import type { Lab } from '../lab.ts';
import type { Check, Hit } from './check.ts';
import { isWrapper, memberAccess, stringValue, unwrap } from '../syntax.ts';

const FORBIDDEN_GLOBALS = new Map([
  ['eval', 'runs code built from a string'],
  ['Function', 'builds code from a string'],
  ['require', 'loads code the grader does not allow'],
  ['module', 'leads to require, which loads code the grader does not allow'],
  ['exports', 'is CommonJS; the lab is an ES module'],
  ['process', "reaches into the grader's process"],
  ['Reflect', 'reaches around the checks'],
  ['Proxy', 'disguises objects, engine tensors included'],
]);

/** Allowed only as `globalThis.Math` and the like: a constant, harmless member. */
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'self', 'window']);

const SUSPICIOUS_MEMBERS = new Map([
  ['constructor', 'leads to Function, which builds code from a string'],
  ['__proto__', 'reaches a prototype'],
  ['__defineGetter__', 'rewrites a property'],
  ['__defineSetter__', 'rewrites a property'],
  ['__lookupGetter__', 'reaches a hidden accessor'],
  ['__lookupSetter__', 'reaches a hidden accessor'],
  ['prepareStackTrace', "reaches the grader's stack frames"],
]);

/** An identifier that names a global in an expression, not a property, label, type or local of the module. */
function isGlobalReference(lab: Lab, id: Identifier): boolean {
  const parent = id.getParentOrThrow();
  const nameSlot =
    ((Node.isPropertyAccessExpression(parent) || Node.isPropertyAssignment(parent) || Node.isBindingElement(parent) ||
      Node.isMethodDeclaration(parent) || Node.isPropertyDeclaration(parent) || Node.isGetAccessorDeclaration(parent) ||
      Node.isSetAccessorDeclaration(parent) || Node.isVariableDeclaration(parent) || Node.isFunctionDeclaration(parent) ||
      Node.isClassDeclaration(parent) || Node.isModuleDeclaration(parent) || Node.isEnumDeclaration(parent)) && parent.getNameNode() === id) ||
    (Node.isBindingElement(parent) && parent.getPropertyNameNode() === id) ||
    (Node.isQualifiedName(parent) && parent.getRight() === id) ||
    Node.isLabeledStatement(parent) || Node.isBreakStatement(parent) || Node.isContinueStatement(parent) ||
    ts.isPartOfTypeNode(id.compilerNode);
  return !nameSlot && !lab.symbols(id).some((s) => ownDeclaration(lab, s) || lab.isEngineSymbol(s));
}

/** Declared by lab.ts itself; an ambient `declare` only claims that the runtime has it, as a global. */
const ownDeclaration = (lab: Lab, symbol: Symbol) => symbol.getDeclarations().some((d) => d.getSourceFile() === lab.file && !isAmbient(d));

/** Under a `declare` (`declare const x`, anything inside `declare global { }` or `declare module`). */
const isAmbient = (node: Node) => [node, ...node.getAncestors()].some((n) => Node.isAmbientable(n) && n.hasDeclareKeyword());

/**
 * `declare const process: any`, `declare global { var require: any }`, `declare module 'fs'`: a
 * claim that the runtime has what the rules forbid, which would make them read it as lab.ts's own.
 */
function ambientClaim(node: Node): string | undefined {
  if (Node.isModuleDeclaration(node) && Node.isStringLiteral(node.getNameNode())) {
    return `\`declare module ${node.getNameNode().getText()}\` declares a module's types; the lab uses the engine's own declaration`;
  }
  if (Node.isModuleDeclaration(node) && node.getDeclarationKind() === 'global') return undefined; // its members are looked at one by one
  const declares = Node.isVariableDeclaration(node) || Node.isFunctionDeclaration(node) || Node.isClassDeclaration(node) || Node.isModuleDeclaration(node) || Node.isEnumDeclaration(node);
  const name = declares && isAmbient(node) ? (node as Node & { getName(): string | undefined }).getName() : undefined;
  if (name === undefined || !(FORBIDDEN_GLOBALS.has(name) || GLOBAL_OBJECTS.has(name))) return undefined;
  return `an ambient declaration of \`${name}\` claims a global the rules forbid`;
}

/** Does `node` (after parentheses and casts) name `globalThis`, `global`, `self` or `window`? */
function isGlobalObject(lab: Lab, node: Node): boolean {
  const inner = unwrap(node);
  return Node.isIdentifier(inner) && GLOBAL_OBJECTS.has(inner.getText()) && isGlobalReference(lab, inner);
}

/** The member access that `node` (through parentheses and casts) is the object of. */
function accessOf(lab: Lab, node: Node): { access: Node; names: string[] | undefined } | undefined {
  let outer = node.getParentOrThrow();
  while (isWrapper(outer)) outer = outer.getParentOrThrow();
  const access = memberAccess(lab, outer);
  return access && unwrap(access.object) === node ? { access: outer, names: access.names } : undefined;
}

/** `o[key]` with a key computed at runtime: harmless on arrays and dictionaries, not elsewhere. */
function hidesMember(lab: Lab, node: ElementAccessExpression): boolean {
  if (lab.wideKey(node.getArgumentExpressionOrThrow())) return true;
  const keyType = node.getArgumentExpressionOrThrow().getType();
  if (keyType.isNumber()) return false;
  const objectType = node.getExpression().getType();
  if (keyType.isAny()) return lab.isEngineType(objectType);
  return objectType.isAny() || objectType.getStringIndexType() === undefined;
}

export const noEscapeHatches: Check = (lab, { nodes }) => {
  const hits: Hit[] = [];
  const internals = lab.engineInternals;
  for (const node of nodes) {
    const claim = ambientClaim(node);
    if (claim) {
      hits.push({ node, message: claim });
      continue;
    }
    if (Node.isCallExpression(node) && node.getExpression().getKind() === ts.SyntaxKind.ImportKeyword) {
      hits.push({ node, message: 'dynamic import() loads code the grader does not allow' });
      continue;
    }
    const text = stringValue(node);
    if (text !== undefined && internals.has(text)) {
      hits.push({ node, message: `'${text}' names an internal of the engine, not part of its API` });
      continue;
    }
    const name = Node.isIdentifier(node) ? node.getText() : '';
    if ((FORBIDDEN_GLOBALS.has(name) || GLOBAL_OBJECTS.has(name)) && isGlobalReference(lab, node as Identifier)) {
      if (FORBIDDEN_GLOBALS.has(name)) hits.push({ node, message: `\`${name}\` ${FORBIDDEN_GLOBALS.get(name)}` });
      if (GLOBAL_OBJECTS.has(name)) {
        const member = accessOf(lab, node);
        const reached = member?.names?.find((n) => FORBIDDEN_GLOBALS.has(n) || GLOBAL_OBJECTS.has(n));
        if (!member) hits.push({ node, message: `\`${name}\` used as a value hides what the code reaches` });
        else if (!member.names) hits.push({ node: member.access, message: `\`${name}[...]\` with a computed name hides what it reaches` });
        else if (reached) {
          hits.push({ node: member.access, message: `\`${name}.${reached}\` ${FORBIDDEN_GLOBALS.get(reached) ?? 'hides what the code reaches'}` });
        }
      }
      continue;
    }
    const access = memberAccess(lab, node);
    if (!access) continue;
    if (!access.names) {
      // On a global object the identifier above has reported it.
      if (Node.isElementAccessExpression(node) && !isGlobalObject(lab, access.object) && hidesMember(lab, node)) {
        hits.push({ node, message: 'a member name computed at runtime hides which member is used' });
      }
      continue;
    }
    const suspicious = access.names.find((n) => SUSPICIOUS_MEMBERS.has(n));
    const internal = access.names.find((n) => internals.has(n));
    if (suspicious) hits.push({ node, message: `\`.${suspicious}\` ${SUSPICIOUS_MEMBERS.get(suspicious)}` });
    else if (internal) hits.push({ node, message: `\`.${internal}\` is an internal of the engine, not part of its API` });
  }
  return hits;
};
