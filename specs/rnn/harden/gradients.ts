/** The automatic-differentiation task: backward() from the wrong place. */
import { defineMutantOperator, methodCalls, replace, type SourceFile } from 'propgrade/spec';

/** `h1.at(0)` right before `.backward()`. */
const backwardFrom = (file: SourceFile) =>
  methodCalls(file, 'backward').map((call) => call.getExpression().getFirstChildOrThrow()).filter((root) => /\.at\(0\)$/.test(root.getText()));

export const gradientOfSum = defineMutantOperator({
  id: 'gradient-of-sum',
  title: 'the gradient of h1.sum() instead of h1[0]',
  mutate: (file) => backwardFrom(file).map((root) => [replace(root, root.getText().replace(/\.at\(0\)$/, '.sum()'))]),
});

export const gradientOfWrongElement = defineMutantOperator({
  id: 'gradient-of-wrong-element',
  title: 'the gradient of h1[1] instead of h1[0]',
  mutate: (file) => backwardFrom(file).map((root) => [replace(root, root.getText().replace(/\.at\(0\)$/, '.at(1)'))]),
});
