/** The hidden state: h0 not zero, h_t from the wrong step, the output before the update, state kept between calls. */
import { calls, defineMutantOperator, importing, insertAt, methodCalls, removeLine, replace } from 'propgrade/spec';

export const h0Ones = defineMutantOperator({
  id: 'h0-ones',
  title: 'h0 = ones instead of zeros',
  mutate: (file) => calls(file, 'zeros')
    .filter((call) => call.getArguments().length === 1)
    .map((call) => [replace(call, `ones(${call.getArguments()[0]!.getText()})`), ...importing(file, 'ones')]),
});

export const stateNotCarried = defineMutantOperator({
  id: 'state-not-carried',
  title: 'h_t taken from the wrong step: every step starts again from h0 (the loop never updates h)',
  mutate(file, { Node, SyntaxKind }) {
    // `h = next.h` inside a loop: without it each step sees the initial state.
    const loopUpdates = file
      .getDescendantsOfKind(SyntaxKind.ExpressionStatement)
      .filter((s) => s.getFirstAncestorByKind(SyntaxKind.ForStatement) && /^\w+ = \w+\.h;$/.test(s.getText()))
      .map((s) => [removeLine(s)]);
    // step(..., first.h) in the two steps by hand: the second step from h0 again.
    const secondStep = calls(file, 'step')
      .map((call) => call.getArguments().at(-1)!)
      .filter((arg) => Node.isPropertyAccessExpression(arg))
      .map((arg) => [replace(arg, 'h0')]);
    return [...loopUpdates, ...secondStep];
  },
});

export const outputBeforeUpdate = defineMutantOperator({
  id: 'output-before-update',
  title: 'the output from the previous state: o_t = W h_{t-1}',
  mutate: (file, { SyntaxKind }) => methodCalls(file, 'matmul', 'W')
    .filter((call) => call.getFirstAncestorByKind(SyntaxKind.FunctionDeclaration)?.getParameter('hPrev'))
    .map((call) => [replace(call.getArguments()[0]!, 'hPrev')]),
});

export const wrongStepOutput = defineMutantOperator({
  id: 'wrong-step-output',
  title: "the second step's h2 or o2 taken from the first step",
  mutate: (file, { SyntaxKind }) => file
    .getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)
    .filter((p) => p.getExpression().getText() === 'second')
    .map((p) => [replace(p.getExpression(), 'first')]),
});

export const stateKept = defineMutantOperator({
  id: 'state-kept',
  title: 'the hidden state kept between calls (a module-level h carried into the next call)',
  mutate(file, { SyntaxKind }) {
    return file.getFunctions().flatMap((fn) => {
      const loop = fn.getFirstDescendantByKind(SyntaxKind.ForStatement);
      const state = fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getInitializer()?.getText().startsWith('zeros('));
      if (!loop || !state) return [];
      const [name, init] = [state.getName(), state.getInitializer()!.getText()];
      const carried = `${fn.getName()}State`;
      return [
        [
          insertAt(fn.getStart(), `let ${carried}: Tensor | undefined;\n\n`),
          replace(state.getInitializer()!, `${carried}?.shape[0] === ${init.slice('zeros('.length, -1)} ? ${carried} : ${init}`),
          insertAt(loop.getEnd(), `\n  ${carried} = ${name};`),
        ],
      ];
    });
  },
});

export const loopOverDim = defineMutantOperator({
  id: 'loop-over-dim',
  title: 'the loop runs over the hidden size dim instead of the sequence length',
  mutate: (file, { SyntaxKind }) => file
    .getDescendantsOfKind(SyntaxKind.ForStatement)
    .filter((loop) => loop.getFirstAncestorByKind(SyntaxKind.FunctionDeclaration)?.getParameter('dim'))
    .flatMap((loop) => {
      const bound = loop.getCondition()?.asKind(SyntaxKind.BinaryExpression)?.getRight();
      return bound ? [[replace(bound, 'dim')]] : [];
    }),
});
