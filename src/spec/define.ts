/**
 * Declaring a task's grader. A spec reads as a list of claims about the student's functions:
 *
 *   defineTask({ id: 'bigram', title: ..., points: 1, exports: ['sequenceProbability'], rules: [],
 *     properties: [
 *       example('notebook-example', "P(aaaaaabbaa) is the notebook's value", async (lab, ctx) => { ... }),
 *       property({ id: 'in-unit-interval', title: 'P(s) lies in [0, 1]', visibility: 'public',
 *                  runs: 30, cases: bigramCase(), check: async (lab, c) => { ... } }),
 *     ] });
 */
import fc from 'fast-check';
import type { LabClient } from '../sandbox/protocol.ts';
import { TASK_IDS, type CheckContext, type PropertySpec, type TaskSpec } from './types.ts';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A task's grader, checked for the mistakes that would otherwise surface mid-grading. */
export function defineTask(task: TaskSpec): TaskSpec {
  const problems: string[] = [];
  if (!TASK_IDS.includes(task.id)) problems.push(`unknown task id '${task.id}' (known: ${TASK_IDS.join(', ')})`);
  if (!(task.points >= 0)) problems.push(`points must be >= 0, got ${task.points}`);
  if (task.properties.length === 0) problems.push('a task needs at least one property');
  const seen = new Set<string>();
  for (const p of task.properties) {
    if (!KEBAB.test(p.id)) problems.push(`property id '${p.id}' must be kebab-case`);
    if (seen.has(p.id)) problems.push(`property id '${p.id}' is used twice`);
    seen.add(p.id);
    if (!(Number.isInteger(p.runs) && p.runs >= 1)) problems.push(`property '${p.id}': runs must be a positive integer, got ${p.runs}`);
    if (p.weight !== undefined && !(p.weight > 0)) problems.push(`property '${p.id}': weight must be > 0, got ${p.weight}`);
  }
  if (problems.length > 0) throw new Error(`spec '${task.id}': ${problems.join('; ')}`);
  return task;
}

/** A generated property: `check` runs on `runs` cases drawn from `cases`. */
export function property<Case>(spec: PropertySpec<Case>): PropertySpec<Case> {
  return spec;
}

/** A fixed public case with known inputs (the notebook's own example): runs once. */
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
