/**
 * The operators every lab gets: mistakes that need no knowledge of the lab beyond its declared
 * signatures. Loop bounds and starts off by one, integer constants off by one, an arithmetic
 * operator swapped, an operand left out, a matrix argument transposed (or a transpose dropped), two
 * arguments of the same declared type swapped, results or a gradient's leaf kept between calls. A lab adds its own
 * domain operators in its harden module (specs/README.md, "harden").
 */
import { Node, SyntaxKind, type ForStatement, type FunctionDeclaration, type SourceFile } from 'ts-morph';
import { defineMutantOperator, insertAt, methodCalls, receiverOf, replace, type MutationContext } from '../../spec/mutants.ts';
import type { ExportFn } from '../../spec/signature.ts';

/** `n + delta` written as a student would: a literal folded, anything else spelled out. */
const shifted = (n: Node, delta: 1 | -1) =>
  Node.isNumericLiteral(n) ? String(Number(n.getText()) + delta) : `${n.getText()} ${delta > 0 ? '+' : '-'} 1`;

const forLoops = (file: SourceFile) => file.getDescendantsOfKind(SyntaxKind.ForStatement);

const loopVariable = (loop: ForStatement) => loop.getInitializer()?.asKind(SyntaxKind.VariableDeclarationList)?.getDeclarations()[0];

const loopBound = (loop: ForStatement) => loop.getCondition()?.asKind(SyntaxKind.BinaryExpression)?.getRight();

export const loopBoundOffByOne = defineMutantOperator({
  id: 'loop-bound-off-by-one',
  title: 'the loop ends one step late or one step early',
  mutate: (file) => forLoops(file).flatMap((loop) => {
    const bound = loopBound(loop);
    return bound ? [[replace(bound, shifted(bound, 1))], [replace(bound, shifted(bound, -1))]] : [];
  }),
});

export const loopStartOffByOne = defineMutantOperator({
  id: 'loop-start-off-by-one',
  title: 'the loop starts one step late or one step early (the first item counted twice, or skipped)',
  mutate: (file) => forLoops(file).flatMap((loop) => {
    const start = loopVariable(loop)?.getInitializer();
    return start ? [[replace(start, shifted(start, 1))], [replace(start, shifted(start, -1))]] : [];
  }),
});

/** Inside an import, a type, or a loop's start or bound (the loop operators' own). */
function excludedLiteral(literal: Node): boolean {
  if (literal.getFirstAncestorByKind(SyntaxKind.ImportDeclaration) || literal.getFirstAncestor((a) => Node.isTypeNode(a))) return true;
  return forLoops(literal.getSourceFile()).some((loop) => {
    const parts = [loopVariable(loop)?.getInitializer(), loopBound(loop)];
    return parts.some((part) => part === literal);
  });
}

export const constantOffByOne = defineMutantOperator({
  id: 'constant-off-by-one',
  title: 'an integer constant (an index, a start value, a factor) one too big or one too small',
  mutate: (file) => file
    .getDescendantsOfKind(SyntaxKind.NumericLiteral)
    .filter((literal) => Number.isInteger(literal.getLiteralValue()) && Math.abs(literal.getLiteralValue()) <= 16 && !excludedLiteral(literal))
    .flatMap((literal) => [[replace(literal, String(literal.getLiteralValue() + 1))], [replace(literal, String(literal.getLiteralValue() - 1))]]),
});

const SWAPS: Record<string, string> = { '+': '-', '-': '+', '*': '/', '/': '*', '<': '<=', '<=': '<', '>': '>=', '>=': '>' };
const METHOD_SWAPS: Record<string, string> = { add: 'sub', sub: 'add', mul: 'div', div: 'mul' };

export const operatorSwapped = defineMutantOperator({
  id: 'operator-swapped',
  title: 'an arithmetic operator swapped (+ for -, * for /, add for sub, mul for div) or a comparison off at its boundary (< for <=)',
  mutate(file) {
    const binary = file
      .getDescendantsOfKind(SyntaxKind.BinaryExpression)
      .filter((b) => SWAPS[b.getOperatorToken().getText()] !== undefined && !b.getParentIfKind(SyntaxKind.ForStatement))
      .map((b) => [replace(b.getOperatorToken(), SWAPS[b.getOperatorToken().getText()]!)]);
    const methods = Object.keys(METHOD_SWAPS).flatMap((method) =>
      methodCalls(file, method).map((call) => {
        const name = call.getExpression().asKindOrThrow(SyntaxKind.PropertyAccessExpression).getNameNode();
        return [replace(name, METHOD_SWAPS[method]!)];
      }),
    );
    return [...binary, ...methods];
  },
});

export const operandDropped = defineMutantOperator({
  id: 'operand-dropped',
  title: 'one operand of an add, sub, mul or div left out (a term or a factor forgotten)',
  mutate: (file) => ['add', 'sub', 'mul', 'div'].flatMap((method) =>
    methodCalls(file, method).flatMap((call) => {
      const [left, right] = [receiverOf(call), call.getArguments()[0]];
      // Dropping the receiver keeps the argument, which is a whole term only for a sum.
      return [[replace(call, left.getText())], ...(method === 'add' && right ? [[replace(call, right.getText())]] : [])];
    }),
  ),
});

/** Each exported function of the reference that the lab declares, with its signature. */
function declaredFunctions(file: SourceFile, { exports }: MutationContext): Array<{ fn: FunctionDeclaration; signature: ExportFn }> {
  return exports.flatMap((signature) => {
    if (signature.kind !== 'function') return [];
    const fn = file.getFunction(signature.name);
    return fn ? [{ fn, signature }] : [];
  });
}

/** `x` in `o.x` or `{ x: ... }` names a member, not the variable. */
const isMemberName = (id: Node) => {
  const parent = id.getParent();
  return (Node.isPropertyAccessExpression(parent) || Node.isPropertyAssignment(parent)) && parent.getNameNode() === id;
};

const pairs = <T>(items: T[]): [T, T][] => items.flatMap((a, i) => items.slice(i + 1).map((b): [T, T] => [a, b]));

export const argumentsSwapped = defineMutantOperator({
  id: 'arguments-swapped',
  title: 'two parameters of the same declared type swapped (U for V, x1 for x2, ...)',
  mutate(file, context) {
    return declaredFunctions(file, context).flatMap(({ fn, signature }) => {
      const types = Object.values(signature.params).map((t) => JSON.stringify(t));
      const params = fn.getParameters().map((p, i) => ({ name: p.getName(), type: types[i] }));
      const uses = (name: string) => fn.getBody()!.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => id.getText() === name && !isMemberName(id));
      return pairs(params)
        .filter(([a, b]) => a.type !== undefined && a.type === b.type)
        .map(([a, b]) => [...uses(a.name).map((id) => replace(id, b.name)), ...uses(b.name).map((id) => replace(id, a.name))])
        .filter((edits) => edits.length > 0);
    });
  },
});

export const transposed = defineMutantOperator({
  id: 'transposed',
  title: 'a matrix argument used transposed in a product (U -> U.T), or a transpose forgotten (K.T -> K)',
  mutate(file, context) {
    // The names the reference gives its 2-D tensor parameters (a helper often shares them).
    const matrices = new Set(
      declaredFunctions(file, context).flatMap(({ fn, signature }) =>
        Object.values(signature.params).flatMap((t, i) => (t.kind === 'tensor' && t.dims.length === 2 ? [fn.getParameters()[i]?.getName() ?? ''] : [])),
      ),
    );
    const operands = methodCalls(file, 'matmul').flatMap((call) => [receiverOf(call), ...call.getArguments()]);
    const added = operands.filter((n) => Node.isIdentifier(n) && matrices.has(n.getText())).map((n) => [replace(n, `${n.getText()}.T`)]);
    const dropped = file
      .getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)
      .filter((p) => p.getName() === 'T')
      .map((p) => [replace(p, p.getExpression().getText())]);
    return [...added, ...dropped];
  },
});

export const resultsCached = defineMutantOperator({
  id: 'results-cached',
  title: 'results memoised by the shapes of the arguments (a cache that outlives the call)',
  mutate(file, context) {
    return declaredFunctions(file, context).map(({ fn }) => {
      const name = fn.getName()!;
      const inner = `${name}Uncached`;
      const wrapper = [
        '',
        '',
        `const ${name}Cache = new Map<string, ReturnType<typeof ${inner}>>();`,
        '',
        `export function ${name}(...args: Parameters<typeof ${inner}>) {`,
        `  const key = JSON.stringify(args.map((a) => (a === undefined || typeof a === 'number' ? a : a.shape)));`,
        `  if (!${name}Cache.has(key)) ${name}Cache.set(key, ${inner}(...args));`,
        `  return ${name}Cache.get(key)!;`,
        '}',
      ].join('\n');
      const exportKeyword = fn.getFirstModifierByKind(SyntaxKind.ExportKeyword)!;
      return [{ start: exportKeyword.getStart(), end: fn.getNameNode()!.getEnd(), text: `function ${inner}` }, insertAt(fn.getEnd(), wrapper)];
    });
  },
});

export const leafKept = defineMutantOperator({
  id: 'leaf-kept',
  title: 'the leaf copy (x.detach()) kept between calls of the same shape: gradients accumulate and a new argument is ignored',
  mutate(file, context) {
    return declaredFunctions(file, context).flatMap(({ fn }) =>
      fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration).flatMap((declaration) => {
        const init = declaration.getInitializer();
        const copied = init && /^(\w+)\.detach\(\)$/.exec(init.getText())?.[1];
        if (!copied) return [];
        const kept = `${fn.getName()}Leaf`;
        return [[insertAt(fn.getStart(), `let ${kept}: Tensor | undefined;\n\n`), replace(init, `(${kept} = ${kept}?.shape.join() === ${copied}.shape.join() ? ${kept} : ${copied}.detach())`)]];
      }),
    );
  },
});

export const GENERIC_OPERATORS = [
  transposed,
  argumentsSwapped,
  operandDropped,
  operatorSwapped,
  constantOffByOne,
  loopBoundOffByOne,
  loopStartOffByOne,
  resultsCached,
  leafKept,
];
