/**
 * propgrade/spec: the API a lab is written in. A lab folder imports this and `propgrade/autograd`,
 * nothing else of propgrade (CONTRACT section 6): its definition (`defineLab`), its tasks
 * (`defineTask`, `property`, `example`), the signatures of its exports (`fn`, `value`, `t`), the
 * matchers that explain a wrong answer, plain-tensor helpers, the generic generators, and what its
 * harden module declares (`defineHarden`, `defineMutantOperator` and the edit helpers).
 */
export { defineLab, defineTask, example, hiddenProperties, property, type HiddenProperties } from './define.ts';
export {
  Mismatch,
  expectFields,
  expectInRange,
  expectRowsClose,
  expectSame,
  expectShape,
  expectTensorClose,
  expectWithinInterval,
  type CompareOptions,
  type Tolerance,
} from './expect.ts';
export { firstRows, matVec, plain, plainOf, plus, relu, rowOf, sizeOf, stack } from './plain.ts';
export { sameAnswerAfterOtherCalls } from './properties.ts';
// What a lab's harden module adds: its mutation operators and the equivalence search's small cases.
export {
  applyEdits,
  calls,
  defineHarden,
  defineMutantOperator,
  importing,
  insertAt,
  methodCalls,
  receiverOf,
  removeLine,
  replace,
  type Edit,
  type ExportProbes,
  type HardenDefinition,
  type MutantOperator,
  type MutationContext,
  type Probe,
  type SourceFile,
  type SyntaxNode,
} from './mutants.ts';
export { formatNumber, renderCase, renderPlain, renderTensor } from './render.ts';
export { declaration, fn, typeText, value, type Dim, type Domain, type Export, type ExportFn, type ExportValue, type ParamType, type ResultType, type Signature } from './signature.ts';
export * as t from './types-dsl.ts';
export type { CheckContext, GraphView, LabDefinition, PropertySpec, RuleUse, TaskSpec, Visibility, WrittenQuestion } from './types.ts';
export type { LabClient, Plain, PlainTensor } from '../sandbox/protocol.ts';
export { StudentError } from '../sandbox/protocol.ts';

// The generic generators (generators/): sizes that shrink, cases that shrink their sizes first, dyadic values with kinks pinned in, tensors.
export { labelSize, shrinkingAsInteger, size, vocabSize } from '../../generators/shapes.ts';
export { drawArray, drawTensor, sized, type Draw } from '../../generators/sized.ts';
export { fromFunction, matrix, tensorOf, vector, zeros as plainZeros } from '../../generators/tensors.ts';
export { dyadic, kinky, labelValue, magnitude, unit, type GridOptions, type KinkyOptions } from '../../generators/values.ts';

// fast-check itself, so that a lab and the runner share one instance (and a lab needs no dependency of its own).
export { default as fc } from 'fast-check';
