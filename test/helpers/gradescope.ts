/**
 * results.json checked against the JSON Schema that ships for staff (schemas/gradescope-results.schema.json,
 * with ajv), plus the two rules of CONTRACT section 5 a schema cannot state: the top-level score is
 * the sum of the tests' scores, and every test's `extra_data.task` is one of the lab's task ids.
 * Returns the problems found, empty when the file is valid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { PROJECT_ROOT } from '../../src/gradescope/package.ts';
import { TASK_IDS } from './rnn.ts';

export const RESULTS_SCHEMA = join(PROJECT_ROOT, 'schemas', 'gradescope-results.schema.json');

const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(RESULTS_SCHEMA, 'utf8')));

/** `taskIds`: the lab's task ids (default the RNN lab's). */
export function gradescopeProblems(results: unknown, taskIds: readonly string[] = TASK_IDS): string[] {
  if (!validate(results)) return validate.errors!.map((e) => `results${e.instancePath.replace(/\//g, '.')} ${e.message} ${JSON.stringify(e.params)}`);
  const { score, tests } = results as { score: number; tests: Array<{ score: number; extra_data: { task: string } }> };
  const problems = tests.flatMap((t, i) => (taskIds.includes(t.extra_data.task) ? [] : [`results.tests[${i}].extra_data.task should be a task id, got ${JSON.stringify(t.extra_data.task)}`]));
  const sum = tests.reduce((s, t) => s + t.score, 0);
  if (Math.abs(score - sum) > 1e-6) problems.push(`results.score ${score} is not the sum of the tests' scores ${sum}`);
  return problems;
}
