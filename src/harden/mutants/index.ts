/**
 * The domain mutants: every operator (the generic ones, then the lab's own) applied wherever it
 * matches in the reference's syntax tree. Each mutant is the full text of a lab.ts and its diff from
 * the reference; two operators that plant the same text make one mutant (the first one's).
 */
import { Node, Project, SyntaxKind, type SourceFile } from 'ts-morph';
import { applyEdits, type Edit, type MutantOperator, type MutationContext } from '../../spec/mutants.ts';
import type { Export } from '../../spec/signature.ts';
import type { TaskSpec } from '../../spec/types.ts';
import { unifiedDiff } from '../diff.ts';

export { GENERIC_OPERATORS } from './generic.ts';

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

/** Every domain mutant of `reference` (its text) by `operators`, limited to the ids in `only` when given. */
export function domainMutants(reference: string, lab: { tasks: TaskSpec[]; exports: Export[] }, operators: MutantOperator[], only?: string[]): Mutant[] {
  const unknown = only?.filter((id) => !operators.some((o) => o.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown mutation operator ${unknown.join(', ')} (known: ${operators.map((o) => o.id).join(', ')})`);
  const file = parseLab(reference);
  const context: MutationContext = { Node, SyntaxKind, exports: lab.exports };
  const seen = new Set([reference]);
  return operators
    .filter((o) => !only || only.includes(o.id))
    .flatMap((operator) => {
      let n = 0;
      return operator.mutate(file, context).flatMap((edits) => {
        const mutant = mutantOf(reference, edits, lab.tasks, file);
        if (seen.has(mutant.text)) return [];
        seen.add(mutant.text);
        return [{ ...mutant, id: `${operator.id}#${++n}`, operator: operator.id, title: operator.title, source: 'domain' as const }];
      });
    });
}

/** The text, diff and touched tasks of `edits` to `reference` (parsed as `file`). */
export function mutantOf(reference: string, edits: Edit[], tasks: TaskSpec[], file: SourceFile = parseLab(reference)): Pick<Mutant, 'text' | 'diff' | 'tasks'> {
  const text = applyEdits(reference, edits);
  return { text, diff: unifiedDiff(reference, text), tasks: tasksTouching(file, edits, tasks) };
}

/**
 * The tasks whose exports reach an edit: the top-level declarations the edits fall in, then every
 * declaration that mentions one of those (a helper reaches every export that calls it), then the
 * tasks that grade one of the exports found.
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
