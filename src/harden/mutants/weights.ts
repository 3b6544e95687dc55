/** Mistakes with the weight matrices: a transpose too many or too few, two weights swapped, a term dropped. */
import { Node, SyntaxKind } from 'ts-morph';
import { methodCalls, receiverOf, replace, type Operator } from './operator.ts';

/** Names the reference gives its matrices (x, h and seq rows are vectors, whose transpose is themselves). */
const MATRICES = new Set(['U', 'V', 'W', 'u', 'table']);

export const transposedMatrix: Operator = {
  id: 'transposed-matrix',
  title: 'a matrix used transposed (U -> U.T), or a transpose forgotten (T.T -> T)',
  mutate(file) {
    const operands = methodCalls(file, 'matmul').flatMap((call) => [receiverOf(call), ...call.getArguments()]);
    const added = operands.filter((n) => Node.isIdentifier(n) && MATRICES.has(n.getText())).map((n) => [replace(n, `${n.getText()}.T`)]);
    const dropped = file
      .getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)
      .filter((p) => p.getName() === 'T' && MATRICES.has(p.getExpression().getText()))
      .map((p) => [replace(p, p.getExpression().getText())]);
    return [...added, ...dropped];
  },
};

const WEIGHTS = ['U', 'V', 'W'];

export const swappedWeights: Operator = {
  id: 'swapped-weights',
  title: 'two weight matrices swapped (U <-> V, V <-> W, U <-> W)',
  mutate(file) {
    return file.getFunctions().flatMap((fn) => {
      const params = fn.getParameters().map((p) => p.getName()).filter((name) => WEIGHTS.includes(name));
      const uses = (name: string) => fn.getBody()!.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => id.getText() === name && !isMemberName(id));
      return pairs(params).map(([a, b]) => [...uses(a).map((id) => replace(id, b)), ...uses(b).map((id) => replace(id, a))]);
    });
  },
};

/** `x` in `o.x` or `{ x: ... }` names a member, not the variable. */
const isMemberName = (id: Node) => {
  const parent = id.getParent();
  return (Node.isPropertyAccessExpression(parent) || Node.isPropertyAssignment(parent)) && parent.getNameNode() === id;
};

const pairs = <T>(items: T[]): [T, T][] => items.flatMap((a, i) => items.slice(i + 1).map((b): [T, T] => [a, b]));

export const termDropped: Operator = {
  id: 'term-dropped',
  title: 'one term of U x_t + V h_{t-1} left out',
  mutate(file) {
    return methodCalls(file, 'add')
      .filter((call) => call.getText().includes('matmul'))
      .flatMap((call) => {
        const [left, right] = [receiverOf(call), call.getArguments()[0]!];
        return [[replace(call, left.getText())], [replace(call, right.getText())]];
      });
  },
};
