/**
 * The domain mutants: every operator applied wherever it matches in the reference's syntax tree.
 * Each mutant is the full text of a lab.ts and its diff from the reference.
 */
import { Node, Project, SyntaxKind, type SourceFile } from 'ts-morph';
import type { TaskSpec } from '../../spec/types.ts';
import { reluCapped, reluDropped, reluToSigmoid, reluToTanh } from './activation.ts';
import { firstTokenCounted, logProbabilitiesSummed, productToSum, sigmaChanged, vIdentity, wNotIdentity } from './bigram.ts';
import {
  crossTimeDropped,
  factorTwoDropped,
  inputOffByOne,
  kinkSide,
  outputFactorDropped,
  recurrentFactorDropped,
  reluSlopeIgnored,
  residualSignFlipped,
  targetOffByOne,
} from './bptt.ts';
import { applyEdits, unifiedDiff, type Edit } from './edit.ts';
import { gradientOfSum, gradientOfWrongElement } from './gradients.ts';
import { loopBoundOffByOne, loopOverDim, loopStartOffByOne } from './loops.ts';
import type { Operator } from './operator.ts';
import { h0Ones, outputBeforeUpdate, resultsCached, stateKept, stateNotCarried, wrongStepOutput } from './state.ts';
import { swappedWeights, termDropped, transposedMatrix } from './weights.ts';

export const OPERATORS: Operator[] = [
  transposedMatrix,
  swappedWeights,
  termDropped,
  reluDropped,
  reluToTanh,
  reluToSigmoid,
  reluCapped,
  h0Ones,
  stateNotCarried,
  outputBeforeUpdate,
  wrongStepOutput,
  stateKept,
  resultsCached,
  loopBoundOffByOne,
  loopStartOffByOne,
  loopOverDim,
  firstTokenCounted,
  productToSum,
  logProbabilitiesSummed,
  vIdentity,
  wNotIdentity,
  sigmaChanged,
  gradientOfSum,
  gradientOfWrongElement,
  crossTimeDropped,
  recurrentFactorDropped,
  outputFactorDropped,
  reluSlopeIgnored,
  kinkSide,
  factorTwoDropped,
  residualSignFlipped,
  targetOffByOne,
  inputOffByOne,
];

export interface Mutant {
  /** `operator#n` for a domain mutant, `stryker#id` for Stryker's. */
  id: string;
  operator: string;
  /** What the mutant does wrong. */
  title: string;
  source: 'domain' | 'stryker';
  /** The tasks whose exports reach the edited code. */
  tasks: string[];
  /** The whole mutated lab.ts. */
  text: string;
  diff: string;
}

/** Reads the reference into a ts-morph source file (in memory, no type checking). */
export function parseLab(text: string): SourceFile {
  return new Project({ useInMemoryFileSystem: true }).createSourceFile('lab.ts', text);
}

/** Every domain mutant of `reference` (its text), operators limited to `only` when given. */
export function domainMutants(reference: string, tasks: TaskSpec[], only?: string[]): Mutant[] {
  const unknown = only?.filter((id) => !OPERATORS.some((o) => o.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown mutation operator ${unknown.join(', ')} (known: ${OPERATORS.map((o) => o.id).join(', ')})`);
  const file = parseLab(reference);
  return OPERATORS.filter((o) => !only || only.includes(o.id)).flatMap((operator) =>
    operator.mutate(file).map((edits, i) => ({
      ...mutantOf(reference, edits, tasks, file),
      id: `${operator.id}#${i + 1}`,
      operator: operator.id,
      title: operator.title,
      source: 'domain' as const,
    })),
  );
}

/** The text, diff and touched tasks of `edits` to `reference` (parsed as `file`). */
export function mutantOf(reference: string, edits: Edit[], tasks: TaskSpec[], file: SourceFile = parseLab(reference)): Pick<Mutant, 'text' | 'diff' | 'tasks'> {
  const text = applyEdits(reference, edits);
  return { text, diff: unifiedDiff(reference, text), tasks: tasksTouching(file, edits, tasks) };
}

/**
 * The tasks whose exports reach an edit: the top-level declarations the edits fall in, then every
 * declaration that mentions one of those (step reaches forwardByHand and forward, bigramRNN reaches
 * tinyBigramRNN), then the tasks that grade one of the exports found.
 */
function tasksTouching(file: SourceFile, edits: Edit[], tasks: TaskSpec[]): string[] {
  const declarations = file.getStatements();
  const named = new Map(declarations.flatMap((s) => declaredNames(s).map((name) => [name, s] as const)));
  // An insertion between declarations belongs to the one that follows it (a cache before its function).
  const at = (pos: number) => declarations.find((s) => s.getEnd() >= pos && s.getFullStart() <= pos) ?? declarations.find((s) => s.getStart() >= pos);
  const reached = new Set(edits.flatMap((e) => declaredNames(at(e.start))));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, statement] of named) {
      if (reached.has(name)) continue;
      const mentions = statement.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => reached.has(id.getText()));
      if (mentions) {
        reached.add(name);
        grew = true;
      }
    }
  }
  return tasks.filter((task) => task.exports.some((e) => reached.has(e.name))).map((task) => task.id);
}

function declaredNames(statement: Node | undefined): string[] {
  if (Node.isFunctionDeclaration(statement)) return [statement.getName() ?? ''];
  if (Node.isVariableStatement(statement)) return statement.getDeclarations().map((d) => d.getName());
  return [];
}
