/** The hand-written backpropagation through time: the terms students drop or get backwards. */
import { defineMutantOperator, replace, type Edit, type MutationContext, type SourceFile, type SyntaxNode } from 'propgrade/spec';

/** The initializer of `const name = ...` in bpttGradU. */
const initializer = (file: SourceFile, name: string, { SyntaxKind }: MutationContext) =>
  file
    .getFunction('bpttGradU')
    ?.getDescendantsOfKind(SyntaxKind.VariableDeclaration)
    .find((d) => d.getName() === name)
    ?.getInitializer();

/** The right-hand side of `name = ...` in bpttGradU. */
const assigned = (file: SourceFile, name: string, { SyntaxKind }: MutationContext) =>
  file
    .getFunction('bpttGradU')
    ?.getDescendantsOfKind(SyntaxKind.BinaryExpression)
    .find((b) => b.getOperatorToken().getText() === '=' && b.getLeft().getText() === name)
    ?.getRight();

/** One mutant per match of `from` in the expression `node` (none when there is no node). */
const rewrite = (node: SyntaxNode | undefined, from: RegExp, to: string): Edit[][] =>
  node && from.test(node.getText()) ? [[replace(node, node.getText().replace(from, to))]] : [];

export const crossTimeDropped = defineMutantOperator({
  id: 'cross-time-dropped',
  title: 'BPTT without the cross-time terms: dL/dh_t only through o_t, nothing from h_{t+1}',
  mutate: (file, context) => rewrite(initializer(file, 'gradH', context), / \+ gradHNext$/, ''),
});

export const recurrentFactorDropped = defineMutantOperator({
  id: 'recurrent-factor-dropped',
  title: 'BPTT carries dL/dz_t to h_{t-1} without the factor V',
  mutate: (file, context) => rewrite(assigned(file, 'gradHNext', context), / \* v$/, ''),
});

export const outputFactorDropped = defineMutantOperator({
  id: 'output-factor-dropped',
  title: 'BPTT takes dL/dh_t = dL/do_t (the factor W forgotten)',
  mutate: (file, context) => rewrite(initializer(file, 'gradH', context), /^gradO \* w/, 'gradO'),
});

export const reluSlopeIgnored = defineMutantOperator({
  id: 'relu-slope-ignored',
  title: "BPTT ignores relu': dL/dz_t = dL/dh_t everywhere",
  mutate: (file, context) => {
    const slope = initializer(file, 'gradZ', context);
    return context.Node.isConditionalExpression(slope) ? [[replace(slope, slope.getWhenTrue().getText())]] : [];
  },
});

export const kinkSide = defineMutantOperator({
  id: 'kink-side',
  title: "relu'(0) = 1 instead of 0 in BPTT (z >= 0 instead of z > 0): differs only at a kink",
  mutate: (file, context) => rewrite(initializer(file, 'gradZ', context), / > 0 \?/, ' >= 0 ?'),
});

export const factorTwoDropped = defineMutantOperator({
  id: 'factor-two-dropped',
  title: 'dL/do_t without the factor 2 of the square',
  mutate: (file, context) => rewrite(initializer(file, 'gradO', context), /^2 \* /, ''),
});

export const residualSignFlipped = defineMutantOperator({
  id: 'residual-sign-flipped',
  title: 'dL/do_t = 2 (x_{t+1} - o_t): the sign of the residual flipped',
  mutate: (file, context) => rewrite(initializer(file, 'gradO', context), /\((.*) - (.*)\)/, '($2 - $1)'),
});

export const targetOffByOne = defineMutantOperator({
  id: 'target-off-by-one',
  title: 'the target of step t taken as x_t instead of x_{t+1}',
  mutate: (file, context) => rewrite(initializer(file, 'gradO', context), /xs\[t\]/, 'xs[t - 1]'),
});

export const inputOffByOne = defineMutantOperator({
  id: 'input-off-by-one',
  title: 'dz_t/dU taken as x_{t+1} instead of x_t',
  mutate: (file, { SyntaxKind }) => {
    const update = file.getFunction('bpttGradU')?.getDescendantsOfKind(SyntaxKind.BinaryExpression).find((b) => b.getOperatorToken().getText() === '+=');
    return rewrite(update?.getRight(), /xs\[t - 1\]/, 'xs[t]');
  },
});
