/**
 * `uses-backward` and `no-autograd`: how an export gets its gradient, judged over everything it
 * reaches. Names are resolved by the type checker, so aliases, destructuring, renamed imports and
 * constant element keys count as the engine member they denote.
 */
import { Node, ts, type ArrowFunction, type CallExpression, type ElementAccessExpression, type FunctionDeclaration, type FunctionExpression, type MethodDeclaration, type NewExpression, type ParameterDeclaration, type PropertyAccessExpression, type Symbol } from 'ts-morph';
import type { Lab } from '../lab.ts';
import type { Check, Hit } from './check.ts';
import { memberAccess, stringValue, unwrap } from '../syntax.ts';

const AUTOGRAD = new Set(['backward', 'grad', 'requiresGrad', 'noGrad', 'gradcheck', 'defineOp']);

/**
 * The engine name `node` denotes, when `node` is a name or a constant element access. On an
 * untyped value (`U.grad` with `U` an untyped parameter) an autograd member's name is all there is
 * to go on, and it counts.
 */
function engineName(lab: Lab, node: Node, typedOnly = false): string | undefined {
  if (!Node.isIdentifier(node) && !Node.isElementAccessExpression(node)) return undefined;
  const symbol = lab.engineSymbol(node);
  if (symbol || typedOnly) return symbol?.getName();
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
function callsBackward(lab: Lab, callee: Node, typedOnly = false, depth = 0): boolean {
  const node = unwrap(callee);
  if (engineName(lab, Node.isPropertyAccessExpression(node) ? node.getNameNode() : node, typedOnly) === 'backward') return true;
  if (depth > 8) return false;
  if (Node.isPropertyAccessExpression(node) && ['call', 'apply', 'bind'].includes(node.getName())) {
    return callsBackward(lab, node.getExpression(), typedOnly, depth + 1);
  }
  if (Node.isCallExpression(node) && callsBackward(lab, node.getExpression(), typedOnly, depth + 1)) return true;
  const initializers = Node.isIdentifier(node)
    ? lab.symbols(node).flatMap((s) => s.getDeclarations().flatMap((d) => (Node.isVariableDeclaration(d) ? (d.getInitializer() ?? []) : [])))
    : [];
  if (initializers.some((value) => callsBackward(lab, value, typedOnly, depth + 1))) return true;
  // Anything else whose value has the method's type: `o.run()` with `o = { run: t.backward }`, `pick(t)()`.
  const typeSymbol = node.getType().getSymbol();
  return typeSymbol !== undefined && typeSymbol.getName() === 'backward' && lab.isEngineSymbol(typeSymbol);
}

/**
 * `uses-backward` follows the data, not the names: the export must return the `.grad` of a tensor
 * built from its own arguments, and call the engine's backward() (on a value typed as the engine's:
 * a plain object's `backward` proves nothing) on a result that depends on that very tensor.
 * The run-time provenance check (src/spec/signature.ts) then checks the same of the actual values.
 */
export const usesBackward: Check = (lab, { nodes, anchor, exportName }) => {
  const calls = nodes.filter((n): n is CallExpression => Node.isCallExpression(n) && callsBackward(lab, n.getExpression(), true));
  const readsGrad = nodes.some((n) => engineName(lab, n) === 'grad');
  const flow = new DataFlow(lab, nodes, exportParameters(lab, exportName!));
  if (calls.length > 0 && readsGrad && flow.returnsGradOfBackwardInput(calls)) return [];
  const missing =
    calls.length === 0 && !readsGrad ? 'neither calls backward() nor reads .grad' : calls.length === 0 ? 'never calls backward()' : !readsGrad ? 'never reads .grad'
      : 'does not return the .grad of a tensor built from its arguments that backward() was called through';
  return [{ node: anchor, message: `${exportName} ${missing} on an engine tensor, directly or through its helpers` }];
};

/**
 * What the values of a region come from, by symbol (variables, parameters, properties of lab.ts):
 * initializers, assignments, and the arguments a call of a lab.ts function binds to its parameters.
 */
class DataFlow {
  private readonly bindings = new Map<Symbol, Node[]>();
  private readonly deps = new Map<Symbol, Set<Symbol>>();

  constructor(
    private readonly lab: Lab,
    private readonly nodes: readonly Node[],
    /** The export's own parameters: the gradient must be of a tensor made from them. */
    private readonly params: ReadonlySet<Symbol>,
  ) {
    const bind = (target: Node | undefined, value: Node | undefined) => {
      if (!target || !value) return;
      for (const symbol of this.own(target)) (this.bindings.get(symbol) ?? this.bindings.set(symbol, []).get(symbol)!).push(value);
    };
    for (const node of nodes) {
      if (Node.isVariableDeclaration(node) || Node.isPropertyDeclaration(node)) bind(node.getNameNode(), node.getInitializer());
      else if (Node.isPropertyAssignment(node)) bind(node.getNameNode(), node.getInitializer());
      else if (Node.isShorthandPropertyAssignment(node)) bind(node.getNameNode(), node.getNameNode());
      else if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === ts.SyntaxKind.EqualsToken) bind(nameOf(node.getLeft()), node.getRight());
      else if (Node.isCallExpression(node) || Node.isNewExpression(node)) {
        const args = node.getArguments();
        const callees = this.callees(node);
        callees.forEach((params) => params.forEach((p, i) => bind(p.getNameNode(), args[i])));
        // A callback given to code outside lab.ts (`[root].forEach((r) => r.backward())`) gets what that call was given.
        const callee = unwrap(node.getExpression());
        const given = [...(Node.isPropertyAccessExpression(callee) ? [callee.getExpression()] : []), ...args.filter((a) => !isFunction(a))];
        if (callees.length === 0) for (const fn of args.filter(isFunction)) for (const p of fn.getParameters()) for (const value of given) bind(p.getNameNode(), value);
      }
    }
  }

  /** Some returned `.grad` is of a tensor made from the arguments, which one of `calls` depends on. */
  returnsGradOfBackwardInput(calls: CallExpression[]): boolean {
    const reached = new Set(this.nodes);
    const returned = this.nodes.flatMap((n) => (Node.isReturnStatement(n) ? (n.getExpression() ?? []) : Node.isArrowFunction(n) && !Node.isBlock(n.getBody()) ? [n.getBody()] : []));
    const grads = this.sources(returned, 0).filter((n) => reached.has(n));
    const backwardDeps = calls.map((call) => this.dependencies(call));
    return grads.some((grad) => {
      const tensor = (grad as PropertyAccessExpression | ElementAccessExpression).getExpression();
      const fromArguments = [...this.dependencies(tensor)].some((s) => this.params.has(s));
      const same = this.aliases(tensor);
      return fromArguments && backwardDeps.some((deps) => [...same].some((s) => deps.has(s)));
    });
  }

  /** The `.grad` reads that `expressions` may evaluate to, through variables and helpers' returns. */
  private sources(expressions: Node[], depth: number): Node[] {
    const found: Node[] = [];
    for (const expression of expressions) {
      const node = unwrap(expression);
      const grad = Node.isPropertyAccessExpression(node) ? node.getNameNode() : Node.isElementAccessExpression(node) ? node : undefined;
      if (grad && engineName(this.lab, grad) === 'grad') found.push(node);
      if (depth > 8) continue;
      if (Node.isBinaryExpression(node) && ['??', '||', '&&'].includes(node.getOperatorToken().getText())) found.push(...this.sources([node.getLeft(), node.getRight()], depth + 1));
      else if (Node.isConditionalExpression(node)) found.push(...this.sources([node.getWhenTrue(), node.getWhenFalse()], depth + 1));
      else if (Node.isIdentifier(node)) found.push(...this.sources(this.own(node).flatMap((s) => this.bindings.get(s) ?? []), depth + 1));
      else if (Node.isCallExpression(node)) {
        const bodies = this.declarationsCalled(node).flatMap(returnsOf);
        found.push(...this.sources(bodies, depth + 1));
      }
    }
    return found;
  }

  /** The symbols whose objects `expression` may be: itself, and what it was bound to as a whole. */
  private aliases(expression: Node): Set<Symbol> {
    const found = new Set<Symbol>();
    const visit = (node: Node, depth: number): void => {
      const inner = unwrap(node);
      const name = nameOf(inner);
      if (!name || depth > 8) return;
      for (const symbol of this.own(name)) {
        if (found.has(symbol)) continue;
        found.add(symbol);
        for (const value of this.bindings.get(symbol) ?? []) visit(value, depth + 1);
      }
    };
    visit(expression, 0);
    return found;
  }

  /** Every symbol of lab.ts whose value went into `node`, transitively. */
  private dependencies(node: Node): Set<Symbol> {
    const found = new Set<Symbol>();
    const names = [node, ...node.getDescendants()].filter((n) => Node.isIdentifier(n));
    for (const name of names) for (const symbol of this.own(name)) for (const s of this.closure(symbol)) found.add(s);
    return found;
  }

  private closure(symbol: Symbol): Set<Symbol> {
    const known = this.deps.get(symbol);
    if (known) return known;
    const found = new Set<Symbol>([symbol]);
    this.deps.set(symbol, found); // a cycle sees what is found so far
    for (const value of this.bindings.get(symbol) ?? []) for (const s of this.dependencies(value)) found.add(s);
    return found;
  }

  /** The symbols of lab.ts that `name` denotes (variables, parameters, properties). */
  private own(name: Node): Symbol[] {
    return this.lab.symbols(name).filter((s) => this.lab.declaredIn(s, this.lab.file));
  }

  /** The parameter lists a call may bind: of the lab.ts functions, methods or constructors it calls. */
  private callees(call: CallExpression | NewExpression): ParameterDeclaration[][] {
    return this.declarationsCalled(call).flatMap((d) => {
        if (Node.isClassDeclaration(d)) return d.getConstructors().map((c) => c.getParameters());
        const fn = Node.isVariableDeclaration(d) ? d.getInitializer() : d;
        return fn && isFunction(fn) ? [fn.getParameters()] : [];
      });
  }

  /** The declarations in lab.ts a call's callee names (`f(...)`, `o.m(...)`, `new C(...)`). */
  private declarationsCalled(call: CallExpression | NewExpression): Node[] {
    const callee = unwrap(call.getExpression());
    const name = nameOf(callee) ?? callee;
    return this.lab.symbols(name).flatMap((s) => s.getDeclarations()).filter((d) => d.getSourceFile() === this.lab.file);
  }
}

const isFunction = (node: Node | undefined): node is FunctionDeclaration | ArrowFunction | FunctionExpression | MethodDeclaration =>
  node !== undefined && (Node.isFunctionDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node));

/** The parameters of the function an export names (through `export { f as name }` and `const name = (...) =>`). */
function exportParameters(lab: Lab, exportName: string): Set<Symbol> {
  const found = new Set<Symbol>();
  const visit = (declaration: Node, depth: number): void => {
    if (depth > 8) return;
    if (Node.isExportSpecifier(declaration)) {
      for (const s of lab.symbols(declaration.getNameNode())) for (const d of s.getDeclarations()) visit(d, depth + 1);
      return;
    }
    const fn = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : declaration;
    if (fn && Node.isIdentifier(fn)) for (const s of lab.symbols(fn)) for (const d of s.getDeclarations()) visit(d, depth + 1);
    if (!isFunction(fn)) return;
    // `({ U, V }: Weights)` names several.
    const names = fn.getParameters().flatMap((p) => [p.getNameNode(), ...p.getNameNode().getDescendantsOfKind(ts.SyntaxKind.Identifier)]);
    for (const name of names) for (const s of lab.symbols(name)) found.add(s);
  };
  for (const root of lab.exportRoots(exportName)) visit(root, 0);
  return found;
}

/** The name node a target or alias denotes: `x`, `o.x`, `this.x`. */
function nameOf(node: Node): Node | undefined {
  if (Node.isIdentifier(node)) return node;
  if (Node.isPropertyAccessExpression(node)) return node.getNameNode();
  return undefined;
}

/** What a function declaration returns: its return statements (not those of functions inside it), or an arrow's expression. */
function returnsOf(declaration: Node): Node[] {
  const fn = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : declaration;
  if (!isFunction(fn)) return [];
  const body = fn.getBody();
  if (!body) return [];
  if (!Node.isBlock(body)) return [body];
  const found: Node[] = [];
  const visit = (node: Node): void => {
    if (Node.isReturnStatement(node)) { const value = node.getExpression(); if (value) found.push(value); }
    else if (!Node.isFunctionLikeDeclaration(node)) node.forEachChild(visit);
  };
  body.forEachChild(visit);
  return found;
}

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
