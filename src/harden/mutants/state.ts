/** The hidden state: h0 not zero, h_t from the wrong step, the output before the update, state kept between calls. */
import { Node, SyntaxKind } from 'ts-morph';
import { calls, importing, insertAt, methodCalls, replace, type Operator } from './operator.ts';

export const h0Ones: Operator = {
  id: 'h0-ones',
  title: 'h0 = ones instead of zeros',
  mutate: (file) => calls(file, 'zeros')
    .filter((call) => call.getArguments().length === 1)
    .map((call) => [replace(call, `ones(${call.getArguments()[0]!.getText()})`), ...importing(file, 'ones')]),
};

export const stateNotCarried: Operator = {
  id: 'state-not-carried',
  title: 'h_t taken from the wrong step: every step starts again from h0 (the loop never updates h)',
  mutate(file) {
    // `h = next.h` inside a loop: without it each step sees the initial state.
    const loopUpdates = file
      .getDescendantsOfKind(SyntaxKind.ExpressionStatement)
      .filter((s) => s.getFirstAncestorByKind(SyntaxKind.ForStatement) && /^\w+ = \w+\.h;$/.test(s.getText()))
      .map((s) => [{ start: s.getStartLinePos(), end: s.getEnd() + 1, text: '' }]);
    // step(..., first.h) in the two steps by hand: the second step from h0 again.
    const secondStep = calls(file, 'step')
      .map((call) => call.getArguments().at(-1)!)
      .filter((arg) => Node.isPropertyAccessExpression(arg))
      .map((arg) => [replace(arg, 'h0')]);
    return [...loopUpdates, ...secondStep];
  },
};

export const outputBeforeUpdate: Operator = {
  id: 'output-before-update',
  title: 'the output from the previous state: o_t = W h_{t-1}',
  mutate: (file) => methodCalls(file, 'matmul', 'W')
    .filter((call) => call.getFirstAncestorByKind(SyntaxKind.FunctionDeclaration)?.getParameter('hPrev'))
    .map((call) => [replace(call.getArguments()[0]!, 'hPrev')]),
};

export const wrongStepOutput: Operator = {
  id: 'wrong-step-output',
  title: "the second step's h2 or o2 taken from the first step",
  mutate: (file) => file
    .getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)
    .filter((p) => p.getExpression().getText() === 'second')
    .map((p) => [replace(p.getExpression(), 'first')]),
};

export const stateKept: Operator = {
  id: 'state-kept',
  title: 'the hidden state kept between calls (a module-level h carried into the next call)',
  mutate(file) {
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
};

export const resultsCached: Operator = {
  id: 'results-cached',
  title: 'results memoised by the shapes of the arguments (a cache that outlives the call)',
  mutate(file) {
    return file.getFunctions().filter((fn) => fn.isExported()).map((fn) => {
      const name = fn.getName()!;
      const inner = `${name}Uncached`;
      const wrapper = [
        '',
        '',
        `const ${name}Cache = new Map<string, ReturnType<typeof ${inner}>>();`,
        '',
        `export function ${name}(...args: Parameters<typeof ${inner}>) {`,
        `  const key = JSON.stringify(args.map((a) => (typeof a === 'number' ? a : a.shape)));`,
        `  if (!${name}Cache.has(key)) ${name}Cache.set(key, ${inner}(...args));`,
        `  return ${name}Cache.get(key)!;`,
        '}',
      ].join('\n');
      const exportKeyword = fn.getFirstModifierByKind(SyntaxKind.ExportKeyword)!;
      return [
        { start: exportKeyword.getStart(), end: fn.getNameNode()!.getEnd(), text: `function ${inner}` },
        insertAt(fn.getEnd(), wrapper),
      ];
    });
  },
};
