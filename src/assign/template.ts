/**
 * The student template from one annotated master: the reference with every region between
 * `// BEGIN SOLUTION` and `// END SOLUTION` replaced by a stub that throws a clear "not done yet"
 * error (inside a function) or by a TODO comment (at the top level). A lab may ship its own template
 * instead; either way the template must declare every export the lab grades, with the signature's
 * parameters, so that the two can never drift.
 */
import { ts } from 'ts-morph';
import type { Export } from '../spec/signature.ts';

const BEGIN = /^([ \t]*)\/\/\s*BEGIN SOLUTION\b.*$/;
const END = /^[ \t]*\/\/\s*END SOLUTION\b.*$/;

/** Thrown when a master or a template is malformed: the lab's to fix. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** The template made from `master` (a reference with SOLUTION markers); `file` names it in errors. */
export function stubSolutions(master: string, file: string): string {
  const lines = master.split('\n');
  const out: string[] = [];
  let regions = 0;
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]!);
    if (!begin) {
      if (END.test(lines[i]!)) throw new TemplateError(`${file}:${i + 1}: END SOLUTION without a BEGIN SOLUTION before it`);
      out.push(lines[i]!);
      continue;
    }
    const end = lines.findIndex((line, j) => j > i && (END.test(line) || BEGIN.test(line)));
    if (end < 0 || BEGIN.test(lines[end]!)) throw new TemplateError(`${file}:${i + 1}: BEGIN SOLUTION without its END SOLUTION`);
    const indent = begin[1]!;
    const owner = enclosingFunction(master, offsetOf(lines, i));
    out.push(owner ? `${indent}// TODO: your code here.\n${indent}throw new Error('${owner}: not done yet');` : `${indent}// TODO: your code here.`);
    regions++;
    i = end;
  }
  if (regions === 0) throw new TemplateError(`${file}: no BEGIN SOLUTION / END SOLUTION region to stub (or give the lab a template of its own)`);
  return out.join('\n');
}

const offsetOf = (lines: string[], line: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);

/** The name of the innermost function (declaration, method or function-valued const) around `position`. */
function enclosingFunction(text: string, position: number): string | undefined {
  const source = ts.createSourceFile('master.ts', text, ts.ScriptTarget.Latest, true);
  let name: string | undefined;
  const visit = (node: ts.Node): void => {
    if (position < node.getFullStart() || position > node.getEnd()) return;
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) name = node.name.getText(source);
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent)) name = node.parent.name.getText(source);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return name;
}

/**
 * What is wrong with `template` against the lab's signatures: an export it does not declare, or a
 * function whose parameters are not the signature's (names, in order). Empty when they agree.
 */
export function templateProblems(template: string, exports: readonly Export[]): string[] {
  const source = ts.createSourceFile('lab.ts', template, ts.ScriptTarget.Latest, true);
  const declared = new Map<string, string[] | 'value'>();
  const isExported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const paramsOf = (fn: ts.SignatureDeclarationBase) => fn.parameters.map((p) => p.name.getText(source));
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && isExported(statement)) declared.set(statement.name.text, paramsOf(statement));
    if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        declared.set(d.name.getText(source), init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? paramsOf(init) : 'value');
      }
    }
  }
  const problems: string[] = [];
  for (const e of exports) {
    const found = declared.get(e.name);
    if (found === undefined) problems.push(`the template does not export ${e.name}`);
    else if (e.kind === 'function') {
      if (found === 'value') problems.push(`the template's ${e.name} is not a function`);
      else if (found.join() !== e.paramNames.join()) problems.push(`the template's ${e.name}(${found.join(', ')}) does not take the signature's (${e.paramNames.join(', ')})`);
    }
  }
  return problems;
}
