/**
 * Declaring a lab and its tasks' graders. A spec reads as a list of claims about the student's
 * functions:
 *
 *   defineTask({ id: 'bigram', title: ..., points: 1, exports: [sequenceProbability], rules: [],
 *     properties: [
 *       example('lab-example', "P(aaaaaabbaa) is the lab's value", async (lab) => { ... }),
 *       property({ id: 'in-unit-interval', title: 'P(s) lies in [0, 1]', visibility: 'public',
 *                  runs: 30, cases: bigramCase(), check: async (lab, c) => { ... } }),
 *     ] });
 *
 * Each `define*` checks its input for the mistakes that would otherwise surface mid-grading.
 */
import fc from 'fast-check';
import type { LabClient } from '../sandbox/protocol.ts';
import type { CheckContext, LabDefinition, PropertySpec, TaskSpec } from './types.ts';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Task ids as reports carry them: `forward_by_hand`, `tiny_bigram_RNN`, `attention-function`. */
const TASK_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

/** A task's grader. Its properties are the public ones: hidden properties live in the lab's hidden module. */
export function defineTask(task: TaskSpec): TaskSpec {
  const problems: string[] = [];
  if (!TASK_ID.test(task.id)) problems.push(`task id '${task.id}' must be letters, digits, '_' or '-', starting with a letter`);
  if (!(task.points >= 0)) problems.push(`points must be >= 0, got ${task.points}`);
  if (task.exports.length === 0) problems.push('a task grades at least one export');
  for (const e of task.exports) if (!EXPORT_NAME.test(e?.name ?? '')) problems.push(`'${e?.name}' is not an export name`);
  problems.push(...propertyProblems(task.properties));
  for (const p of task.properties) {
    if (p.visibility !== 'public') problems.push(`property '${p.id}' is ${p.visibility}: a task lists its public properties; hidden ones go in the lab's hidden module, which students never get`);
  }
  if (problems.length > 0) throw new Error(`task '${task.id}': ${problems.join('; ')}`);
  return task;
}

function propertyProblems(properties: PropertySpec[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of properties) {
    if (!KEBAB.test(p.id)) problems.push(`property id '${p.id}' must be kebab-case`);
    if (seen.has(p.id)) problems.push(`property id '${p.id}' is used twice`);
    seen.add(p.id);
    if (!(Number.isInteger(p.runs) && p.runs >= 1)) problems.push(`property '${p.id}': runs must be a positive integer, got ${p.runs}`);
    if (p.weight !== undefined && !(p.weight > 0)) problems.push(`property '${p.id}': weight must be > 0, got ${p.weight}`);
  }
  return problems;
}

/** A generated property: `check` runs on `runs` cases drawn from `cases`. */
export function property<Case>(spec: PropertySpec<Case>): PropertySpec<Case> {
  return spec;
}

/** A fixed public case with known inputs (the lab's own example): runs once. */
export function example(
  id: string,
  title: string,
  check: (student: LabClient, ctx: CheckContext) => Promise<void>,
  options: { weight?: number } = {},
): PropertySpec<null> {
  return {
    id,
    title,
    visibility: 'public',
    runs: 1,
    fixed: true,
    ...options,
    cases: fc.constant(null),
    check: (student, _input, ctx) => check(student, ctx),
  };
}

/** The hidden properties of a lab, by task id: the default export of the lab's `hidden` module. */
export type HiddenProperties = Record<string, PropertySpec[]>;

export function hiddenProperties(byTask: HiddenProperties): HiddenProperties {
  for (const [task, properties] of Object.entries(byTask)) {
    const problems = propertyProblems(properties);
    for (const p of properties) if (p.visibility !== 'hidden') problems.push(`property '${p.id}' is ${p.visibility}: the hidden module holds hidden properties only`);
    if (problems.length > 0) throw new Error(`hidden properties of task '${task}': ${problems.join('; ')}`);
  }
  return byTask;
}

/** A lab: its tasks, and where its reference, template, corpus and staff-only modules are. */
export function defineLab(lab: LabDefinition): LabDefinition {
  const problems: string[] = [];
  if (!KEBAB.test(lab.id)) problems.push(`lab id '${lab.id}' must be kebab-case`);
  if (lab.tasks.length === 0) problems.push('a lab has at least one task');
  const ids = lab.tasks.map((t) => t.id);
  for (const id of new Set(ids)) if (ids.indexOf(id) !== ids.lastIndexOf(id)) problems.push(`task id '${id}' is used twice`);
  const signatures = new Map<string, unknown>();
  for (const e of lab.tasks.flatMap((t) => t.exports)) {
    if (signatures.has(e.name) && signatures.get(e.name) !== e) problems.push(`export '${e.name}' is declared twice with different signatures: declare it once and share it`);
    signatures.set(e.name, e);
  }
  const submission = lab.submission ?? 'lab.ts';
  if (!/^[\w.-]+\.ts$/.test(submission)) problems.push(`the submission file '${submission}' must be a plain file name ending in .ts`);
  for (const view of lab.graphs ?? []) if (!ids.includes(view.task)) problems.push(`graph of unknown task '${view.task}'`);
  for (const q of lab.questions ?? []) if (q.task !== undefined && !ids.includes(q.task)) problems.push(`question '${q.id}' of unknown task '${q.task}'`);
  if (problems.length > 0) throw new Error(`lab '${lab.id}': ${problems.join('; ')}`);
  return lab;
}
