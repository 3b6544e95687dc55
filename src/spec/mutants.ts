/**
 * What a lab adds to `propgrade harden` (its `harden` module, staff only): mutation operators that
 * plant the mistakes students make in this lab, and small cases for the equivalence search where
 * an export's signature is not enough to draw them (a value run by a driver, a gradient at a kink,
 * a design task with many right answers).
 *
 *   export default defineHarden({
 *     operators: [defineMutantOperator({ id: 'mask-ignored', title: 'the mask ignored',
 *       mutate: (file) => calls(file, 'where').map((call) => [replace(call, call.getArguments()[1]!.getText())]) })],
 *     probes: { previousTokenHead: { covers: 'n = 1..6', cases: function* () { ... } } },
 *   });
 *
 * An operator reads the reference as a ts-morph syntax tree and returns, per mutant, a few text
 * edits. ts-morph is imported here for its types only: `propgrade/spec` loads on students'
 * machines too, so harden hands its `Node` and `SyntaxKind` to `mutate` at run time.
 */
import type { CallExpression, Node, SourceFile, SyntaxKind } from 'ts-morph';
import type { Plain } from '../sandbox/protocol.ts';
import type { Export } from './signature.ts';

/** ts-morph's syntax-tree types, so that a lab's operators need no import of their own. */
export type { CallExpression, Node as SyntaxNode, SourceFile } from 'ts-morph';

/** Replace `[start, end)` of the source with `text` (an insertion when start === end). */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** What `mutate` gets besides the reference's syntax tree. */
export interface MutationContext {
  /** ts-morph's `Node` (its type guards: `Node.isIdentifier(n)`). */
  Node: typeof Node;
  /** ts-morph's `SyntaxKind` (`file.getDescendantsOfKind(SyntaxKind.ForStatement)`). */
  SyntaxKind: typeof SyntaxKind;
  /** Every export the lab grades, with its declared signature. */
  exports: Export[];
}

export interface MutantOperator {
  /** kebab-case, stable: it names the mutants (`mask-ignored#2`) and `--operator ID`. */
  id: string;
  /** The mistake, as staff would describe it. */
  title: string;
  /** One list of edits per mutant (edits of one mutant must not overlap). */
  mutate(file: SourceFile, context: MutationContext): Edit[][];
}

/** One call the equivalence search makes of both the mutant and the reference. */
export interface Probe {
  /** The arguments in the declared order (for a driver: its arguments after the export). */
  args: Plain[];
  /** Run the export through this driver of the lab instead of calling it (a value export, a model it returns). */
  driver?: string;
  /** Any answer between the reference's and each of these is right: a gradient at a kink, by the subgradient rule. */
  bounds?: Plain[];
}

/** The small cases of one export, chosen by the lab. */
export interface ExportProbes {
  /** What the cases cover, in words (the report says it of an equivalent mutant). */
  covers: string;
  cases(): Iterable<Probe>;
  /**
   * What is compared of an answer (default: the answer itself), for a task with many right answers:
   * a head's design compared by what it attends to, not by its matrices.
   */
  view?(answer: Plain, probe: Probe): Plain;
}

export interface HardenDefinition {
  operators?: MutantOperator[];
  /** By export name; the other exports get small cases drawn from their signatures. */
  probes?: Record<string, ExportProbes>;
}

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A lab's mutation operator, checked. */
export function defineMutantOperator(operator: MutantOperator): MutantOperator {
  if (!KEBAB.test(operator.id)) throw new Error(`mutation operator id '${operator.id}' must be kebab-case`);
  if (!operator.title) throw new Error(`mutation operator '${operator.id}' needs a title`);
  if (typeof operator.mutate !== 'function') throw new Error(`mutation operator '${operator.id}' needs a mutate(file, context) function`);
  return operator;
}

/** A lab's harden module's default export, checked: operator ids unique. */
export function defineHarden(definition: HardenDefinition): HardenDefinition {
  const ids = (definition.operators ?? []).map((o) => defineMutantOperator(o).id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) throw new Error(`defineHarden: operator id${twice.length > 1 ? 's' : ''} ${[...new Set(twice)].join(', ')} used twice`);
  for (const [name, probes] of Object.entries(definition.probes ?? {})) {
    if (typeof probes?.cases !== 'function' || typeof probes.covers !== 'string') throw new Error(`defineHarden: probes of '${name}' need covers (a sentence) and cases()`);
  }
  return definition;
}

// ---- edits --------------------------------------------------------------------------------------

export const replace = (node: Node, text: string): Edit => ({ start: node.getStart(), end: node.getEnd(), text });

export const insertAt = (position: number, text: string): Edit => ({ start: position, end: position, text });

/** The statement's whole line(s) removed, its line break included. */
export const removeLine = (statement: Node): Edit => ({ start: statement.getStartLinePos(), end: statement.getEnd() + 1, text: '' });

/** The source with every edit applied (edits must not overlap). */
export function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  sorted.forEach((edit, i) => {
    const next = sorted[i - 1];
    if (edit.start > edit.end || edit.end > source.length || (next && edit.end > next.start)) {
      throw new Error(`applyEdits: edit [${edit.start}, ${edit.end}) is out of range or overlaps another`);
    }
  });
  return sorted.reduce((text, e) => text.slice(0, e.start) + e.text + text.slice(e.end), source);
}

// ---- finding code (by kind name, so that this module needs ts-morph's types only) -------------------

const callsIn = (node: Node) => node.getDescendants().filter((n): n is CallExpression => n.getKindName() === 'CallExpression');

/** The calls `receiver.method(...)` (any receiver when `receiver` is omitted). */
export function methodCalls(node: Node, method: string, receiver?: string): CallExpression[] {
  return callsIn(node).filter((call) => {
    const callee = call.getExpression();
    if (callee.getKindName() !== 'PropertyAccessExpression') return false;
    const [object, , name] = callee.getChildren();
    return name?.getText() === method && (receiver === undefined || object?.getText() === receiver);
  });
}

/** `receiver` in the call `receiver.method(...)`. */
export function receiverOf(call: CallExpression): Node {
  const callee = call.getExpression();
  if (callee.getKindName() !== 'PropertyAccessExpression') throw new Error(`receiverOf: ${call.getText()} is not a method call`);
  return callee.getChildren()[0]!;
}

/** The calls `name(...)` of a plain function (or of a dotted name: `Math.max`). */
export const calls = (node: Node, name: string): CallExpression[] => callsIn(node).filter((call) => call.getExpression().getText() === name);

/** The edit that adds `name` to the engine import when the reference does not import it yet. */
export function importing(file: SourceFile, name: string): Edit[] {
  const engine = file.getImportDeclarationOrThrow('propgrade/autograd');
  if (engine.getNamedImports().some((i) => i.getName() === name)) return [];
  const first = engine.getNamedImports()[0]!;
  return [insertAt(first.getStart(), `${name}, `)];
}
