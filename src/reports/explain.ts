/** Pieces of text every report shares: a static finding, a failure's first differing time step. */
import type { Finding, PropertyOutcome } from '../grading/model.ts';
import { renderPlain } from '../spec/render.ts';

/** `lab.ts:12:5 no-autograd (fail): message`, the form editors turn into a link. */
export function describeFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column} ${f.rule} (${f.policy}): ${f.message}`;
}

/** The expected and the student's value at the first differing step, one above the other, aligned. */
export function describeDivergence(d: NonNullable<PropertyOutcome['divergence']>): string {
  const indent = (text: string) => text.replace(/\n/g, '\n          ');
  return [
    `first differing time step: t = ${d.step}`,
    `  expected ${indent(renderPlain(d.expected))}`,
    `  yours    ${indent(renderPlain(d.actual))}`,
  ].join('\n');
}
