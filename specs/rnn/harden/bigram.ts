/** The bigram tasks: the product of transitions, and the table as an RNN. */
import { calls, defineMutantOperator, importing, methodCalls, replace, type MutationContext, type SourceFile } from 'propgrade/spec';

/** `tensor(1)`: where the running product starts. */
const productStart = (file: SourceFile) => calls(file, 'tensor').filter((call) => call.getText() === 'tensor(1)');

/** `probability.mul(...)` inside a loop: the running product. */
const productSteps = (file: SourceFile, { SyntaxKind }: MutationContext) => methodCalls(file, 'mul').filter((call) => call.getFirstAncestorByKind(SyntaxKind.ForStatement));

export const firstTokenCounted = defineMutantOperator({
  id: 'first-token-counted',
  title: 'the first word counted: P starts at 1/V (a uniform first word) instead of 1',
  mutate: (file) => productStart(file).map((start) => [replace(start, 'tensor(1 / table.shape[0]!)')]),
});

export const productToSum = defineMutantOperator({
  id: 'product-to-sum',
  title: 'the transition probabilities added instead of multiplied',
  mutate: (file, context) => productSteps(file, context).map((step) => [replace(step, step.getText().replace(/\.mul\(/, '.add('))]),
});

export const logProbabilitiesSummed = defineMutantOperator({
  id: 'log-probabilities-summed',
  title: 'the log-probabilities summed (log P returned instead of P)',
  mutate: (file, context) => productSteps(file, context).flatMap((step) =>
    productStart(file).map((start) => [replace(start, 'tensor(0)'), replace(step, step.getText().replace(/\.mul\((.*)\)$/, '.add($1.log())'))]),
  ),
});

/** The `{ sigma, U, V, W }` object literal's property `name`. */
const rnnPart = (file: SourceFile, name: string, { SyntaxKind }: MutationContext) =>
  file.getDescendantsOfKind(SyntaxKind.PropertyAssignment).filter((p) => p.getName() === name && p.getParent()?.getText().includes('sigma'));

export const vIdentity = defineMutantOperator({
  id: 'v-identity',
  title: 'V = identity in the bigram RNN (the previous word carried over)',
  mutate: (file, context) => rnnPart(file, 'V', context).map((p) => [replace(p.getInitializer()!, 'eye(vocabulary)')]),
});

export const wNotIdentity = defineMutantOperator({
  id: 'w-not-identity',
  title: 'W = T instead of the identity in the bigram RNN',
  mutate: (file, context) => rnnPart(file, 'W', context).map((p) => [replace(p.getInitializer()!, 'table')]),
});

export const sigmaChanged = defineMutantOperator({
  id: 'sigma-changed',
  title: 'a nonlinear sigma in the bigram RNN (relu, tanh, softmax) instead of the identity',
  mutate: (file, context) => rnnPart(file, 'sigma', context).flatMap((p) => [
    [replace(p.getInitializer()!, '(z: Tensor) => z.relu()')],
    [replace(p.getInitializer()!, '(z: Tensor) => z.tanh()')],
    [replace(p.getInitializer()!, '(z: Tensor) => softmax(z)'), ...importing(file, 'softmax')],
  ]),
});
