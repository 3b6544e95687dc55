/** Loop bounds: one step too many or too few at either end, or the loop over the wrong length. */
import { Node, SyntaxKind, type ForStatement, type SourceFile } from 'ts-morph';
import { replace, type Operator } from './operator.ts';

/** `n + delta` written as a student would: a literal folded, anything else spelled out. */
const shifted = (n: Node, delta: 1 | -1) =>
  Node.isNumericLiteral(n) ? String(Number(n.getText()) + delta) : `${n.getText()} ${delta > 0 ? '+' : '-'} 1`;

const forLoops = (file: SourceFile) => file.getDescendantsOfKind(SyntaxKind.ForStatement);

const loopVariable = (loop: ForStatement) => loop.getInitializer()?.asKind(SyntaxKind.VariableDeclarationList)?.getDeclarations()[0];

export const loopBoundOffByOne: Operator = {
  id: 'loop-bound-off-by-one',
  title: 'the loop ends one step late or one step early',
  mutate: (file) => forLoops(file).flatMap((loop) => {
    const bound = loop.getCondition()?.asKind(SyntaxKind.BinaryExpression)?.getRight();
    return bound ? [[replace(bound, shifted(bound, 1))], [replace(bound, shifted(bound, -1))]] : [];
  }),
};

export const loopStartOffByOne: Operator = {
  id: 'loop-start-off-by-one',
  title: 'the loop starts one step late or one step early (the first token counted, or the first step skipped)',
  mutate: (file) => forLoops(file).flatMap((loop) => {
    const start = loopVariable(loop)?.getInitializer();
    return start ? [[replace(start, shifted(start, 1))], [replace(start, shifted(start, -1))]] : [];
  }),
};

export const loopOverDim: Operator = {
  id: 'loop-over-dim',
  title: 'the loop runs over the hidden size dim instead of the sequence length',
  mutate: (file) => forLoops(file)
    .filter((loop) => loop.getFirstAncestorByKind(SyntaxKind.FunctionDeclaration)?.getParameter('dim'))
    .flatMap((loop) => {
      const bound = loop.getCondition()?.asKind(SyntaxKind.BinaryExpression)?.getRight();
      return bound ? [[replace(bound, 'dim')]] : [];
    }),
};
