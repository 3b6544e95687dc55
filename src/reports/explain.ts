/** Pieces of text every report shares: a static finding, a task's status, a failure's first differing time step. */
import type { Finding, PropertyOutcome, TaskOutcome } from '../model/report.ts';
import { oneLine } from '../model/text.ts';
import { renderCase, renderPlain } from '../spec/render.ts';

/** The first line of a message (admitted text breaks lines with `\n` alone). */
export const firstLine = (text: string): string => text.split('\n', 1)[0]!;

/** `lab.ts:12:5 no-autograd (fail): message`, the form editors turn into a link. */
export function describeFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column} ${f.rule} (${f.policy}): ${f.message}`;
}

/** The expected and the student's value at the first differing step, one above the other, aligned. */
function describeDivergence(d: NonNullable<PropertyOutcome['divergence']>): string {
  const indent = (text: string) => text.replace(/\n/g, '\n          ');
  return [
    `first differing time step: t = ${d.step}`,
    `  expected ${indent(renderPlain(d.expected))}`,
    `  yours    ${indent(renderPlain(d.actual))}`,
  ].join('\n');
}

/**
 * `passed`, `2 of 3 properties failed`, or why the task broke (its first line, which may hold the
 * student's text: `quote` escapes it for the format it lands in).
 */
export function describeTaskStatus(task: TaskOutcome, quote: (text: string) => string = oneLine): string {
  if (task.broken) return `${task.broken.kind}: ${quote(firstLine(task.broken.message))}`;
  const failed = task.properties.filter((p) => !p.passed).length;
  return failed === 0 ? 'passed' : `${failed} of ${task.properties.length} properties failed`;
}

/** A failure's case, its first differing time step and its replay command, as far as they are known. */
export function caseDetails(p: PropertyOutcome): string[] {
  if (p.passed) return [];
  const details: string[] = [];
  // A fixed example (the notebook's) has no generated case: its title names it.
  if (p.staff?.counterexample !== undefined && p.staff.counterexample !== null) details.push(`counterexample:\n  ${renderCase(p.staff.counterexample).replace(/\n/g, '\n  ')}`);
  if (p.divergence) details.push(describeDivergence(p.divergence));
  if (p.staff?.replay) details.push(`replay: ${p.staff.replay}`);
  return details;
}

/** What staff add to a hidden property's failure, whose message is generic (a public one's message holds it all). */
export const hiddenCaseDetails = (p: PropertyOutcome): string[] => (p.visibility === 'hidden' ? caseDetails(p) : []);
