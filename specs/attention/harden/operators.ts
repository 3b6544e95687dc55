/**
 * The mistakes attention students make, planted in the reference (the corpus has one submission
 * for most of them). The generic operators of propgrade add the rest: K.T -> K, the scaling's
 * division dropped, add for sub, a leaf copy kept between calls, results cached...
 */
import { calls, defineMutantOperator, methodCalls, receiverOf, removeLine, replace, type Edit, type MutationContext, type SourceFile } from 'propgrade/spec';

/** The functions of the reference, by name. */
const fn = (file: SourceFile, name: string) => file.getFunctionOrThrow(name);

/** The softmax calls `softmax(x, -1)`, each with its argument's text. */
const softmaxCalls = (file: SourceFile) => calls(file, 'softmax').map((call) => ({ call, x: call.getArguments()[0]!.getText() }));

/** `Math.sqrt(d)` in the scaled scores. */
const scaling = (file: SourceFile) => calls(fn(file, 'scaledScores'), 'Math.sqrt');

export const scaleByD = defineMutantOperator({
  id: 'scale-by-d',
  title: 'the scores divided by d instead of √d',
  mutate: (file) => scaling(file).map((call) => [replace(call, call.getArguments()[0]!.getText())]),
});

export const scaleByKeyCount = defineMutantOperator({
  id: 'scale-by-key-count',
  title: 'the scores scaled by the number of keys m instead of d (the same in a square example)',
  mutate: (file) => {
    const d = fn(file, 'scaledScores').getVariableDeclaration('d')?.getInitializer();
    return d && /^Q\.shape\[1\]/.test(d.getText()) ? [[replace(d, d.getText().replace(/^Q\.shape\[1\]/, 'K.shape[0]'))]] : [];
  },
});

export const softmaxOverQueries = defineMutantOperator({
  id: 'softmax-over-queries',
  title: 'the softmax taken over the queries (dim 0) instead of over the keys of each row',
  // Not in the Jacobian: for a 1-D z, dim 0 is the last dim.
  mutate: (file, { SyntaxKind }) => softmaxCalls(file)
    .filter(({ call }) => call.getArguments()[1]?.getText() === '-1' && call.getFirstAncestorByKind(SyntaxKind.FunctionDeclaration)?.getName() !== 'softmaxJacobian')
    .map(({ call, x }) => [replace(call, `softmax(${x}, 0)`)]),
});

export const naiveSoftmax = defineMutantOperator({
  id: 'naive-softmax',
  title: 'softmax written as exp(s) / sum exp(s), without subtracting the maximum: large scores overflow to NaN',
  mutate: (file) => softmaxCalls(file).map(({ call, x }) => [
    replace(call, `((e: Tensor) => e.div(e.sum(-1).reshape(...e.shape.slice(0, -1), 1)))((${x}).exp())`),
  ]),
});

/** The masking statement `if (mask) scores = scores.add(...)` in attention. */
const masking = (file: SourceFile, { SyntaxKind }: MutationContext) =>
  fn(file, 'attention').getDescendantsOfKind(SyntaxKind.IfStatement).filter((s) => s.getExpression().getText() === 'mask');

/** The penalty added to the scores: `mask.sub(1).mul(-MASKED)`. */
const penalty = (file: SourceFile, context: MutationContext) =>
  masking(file, context).flatMap((s) => methodCalls(s, 'add', 'scores').map((add) => ({ add, term: add.getArguments()[0]! })));

export const maskIgnored = defineMutantOperator({
  id: 'mask-ignored',
  title: 'the mask ignored',
  mutate: (file, context) => masking(file, context).map((s) => [removeLine(s)]),
});

export const maskInverted = defineMutantOperator({
  id: 'mask-inverted',
  title: 'the mask inverted: the allowed positions get the penalty',
  mutate: (file, context) => penalty(file, context).map(({ term }) => [replace(term, 'mask.mul(MASKED)')]),
});

export const maskMultipliesScores = defineMutantOperator({
  id: 'mask-multiplies-scores',
  title: 'the mask multiplied into the scores (a masked score becomes 0, not -infinity)',
  mutate: (file, context) => penalty(file, context).map(({ add }) => [replace(add, `${receiverOf(add).getText()}.mul(mask)`)]),
});

export const maskPenaltySmall = defineMutantOperator({
  id: 'mask-penalty-small',
  title: 'a masked score lowered by 1000 only: enough for small scores, not once they reach the thousands',
  mutate: (file) => {
    const masked = file.getVariableDeclaration('MASKED')?.getInitializer();
    return masked ? [[replace(masked, '-1000')]] : [];
  },
});

export const maskAfterSoftmax = defineMutantOperator({
  id: 'mask-after-softmax',
  title: 'the mask applied after the softmax, the kept weights renormalised: 0 / 0 when the masked scores dominate',
  mutate(file, context) {
    const weights = fn(file, 'attention').getVariableDeclaration('weights')?.getInitializer();
    if (!weights) return [];
    const renormalised = `mask ? ((w: Tensor) => w.div(w.sum(-1).reshape(w.shape[0]!, 1)))(${weights.getText()}.mul(mask)) : ${weights.getText()}`;
    return masking(file, context).map((s): Edit[] => [removeLine(s), replace(weights, renormalised)]);
  },
});

/** `K.at(i)` in the head: the key that query i + 1 looks for. */
const headKeys = (file: SourceFile) => methodCalls(fn(file, 'previousTokenHead'), 'at', 'K');

export const headAttendsToSelf = defineMutantOperator({
  id: 'head-attends-to-self',
  title: 'the head looks for its own position instead of the previous one',
  mutate: (file) => headKeys(file).map((at) => [replace(at.getArguments()[0]!, `${at.getArguments()[0]!.getText()} + 1`)]),
});

export const headTooWeak = defineMutantOperator({
  id: 'head-too-weak',
  title: 'the head not strong enough: a fixed strength, or e^{C/√n} = 10 n instead of 100 n',
  mutate(file) {
    const strength = fn(file, 'previousTokenHead').getVariableDeclaration('strength')?.getInitializer();
    if (!strength) return [];
    return [[replace(strength, '20')], [replace(strength, strength.getText().replace('100 * n', '10 * n'))]];
  },
});

/** `.at(i).at(j)` before `.backward()`. */
const backwardFrom = (file: SourceFile) =>
  methodCalls(fn(file, 'gradOutputWrtQ'), 'backward').map((call) => receiverOf(call)).filter((root) => /\.at\(i\)\.at\(j\)$/.test(root.getText()));

export const gradientOfSum = defineMutantOperator({
  id: 'gradient-of-sum',
  title: 'the gradient of output.sum() instead of output[i][j]',
  mutate: (file) => backwardFrom(file).map((root) => [replace(root, root.getText().replace(/\.at\(i\)\.at\(j\)$/, '.sum()'))]),
});

export const gradientIndicesSwapped = defineMutantOperator({
  id: 'gradient-indices-swapped',
  title: 'the gradient of output[j][i] instead of output[i][j]',
  mutate: (file) => backwardFrom(file).map((root) => [replace(root, root.getText().replace(/\.at\(i\)\.at\(j\)$/, '.at(j).at(i)'))]),
});

export const gradientOfKeys = defineMutantOperator({
  id: 'gradient-of-keys',
  title: 'the gradient taken with respect to K instead of Q',
  mutate(file) {
    const body = fn(file, 'gradOutputWrtQ');
    const copy = body.getVariableDeclaration('q')?.getInitializer();
    const call = calls(body, 'attention')[0];
    if (!copy || !call) return [];
    const [q, k] = call.getArguments();
    return [[replace(copy, 'K.detach()'), replace(q!, 'Q'), replace(k!, 'q')]];
  },
});

export const jacobianSignFlipped = defineMutantOperator({
  id: 'jacobian-sign-flipped',
  title: "the softmax's Jacobian with its sign flipped: s sᵀ − diag(s)",
  mutate: (file) => methodCalls(fn(file, 'softmaxJacobian'), 'sub').map((sub) => [replace(sub, `${sub.getArguments()[0]!.getText()}.sub(${receiverOf(sub).getText()})`)]),
});

export const jacobianDiagonalOnly = defineMutantOperator({
  id: 'jacobian-diagonal-only',
  title: "the softmax's Jacobian without its off-diagonal terms: diag(s) − diag(s²)",
  mutate: (file) => methodCalls(fn(file, 'softmaxJacobian'), 'sub').map((sub) => [replace(sub.getArguments()[0]!, 'diag(s.mul(s))')]),
});

export const OPERATORS = [
  scaleByD,
  scaleByKeyCount,
  softmaxOverQueries,
  naiveSoftmax,
  maskIgnored,
  maskInverted,
  maskMultipliesScores,
  maskPenaltySmall,
  maskAfterSoftmax,
  headAttendsToSelf,
  headTooWeak,
  gradientOfSum,
  gradientIndicesSwapped,
  gradientOfKeys,
  jacobianSignFlipped,
  jacobianDiagonalOnly,
];
