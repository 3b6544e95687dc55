/**
 * A validator of Gradescope's results.json schema (FIELD-NOTES "Gradescope") plus CONTRACT section 5:
 * every test names its task in `extra_data.task`, and the top-level score is the sum of the tests'.
 * Returns the problems found, empty when the file is valid.
 */
import { TASK_IDS } from '../helpers/rnn.ts';

const VISIBILITIES = ['hidden', 'after_due_date', 'after_published', 'visible'];
const FORMATS = ['text', 'html', 'simple_format', 'md', 'ansi'];
const TOP_KEYS = ['score', 'execution_time', 'output', 'output_format', 'test_output_format', 'test_name_format', 'visibility', 'stdout_visibility', 'extra_data', 'tests', 'leaderboard'];
const TEST_KEYS = ['score', 'max_score', 'status', 'name', 'name_format', 'number', 'output', 'output_format', 'tags', 'visibility', 'extra_data'];

type Rule = [key: string, ok: (v: unknown) => boolean, what: string];
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown) => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf = (values: string[]) => (v: unknown) => typeof v === 'string' && values.includes(v);

const TOP_RULES: Rule[] = [
  ['score', isNumber, 'a finite number'],
  ['execution_time', (v) => isNumber(v) && (v as number) >= 0, 'a non-negative number'],
  ['output', isString, 'a string'],
  ['output_format', oneOf(FORMATS), `one of ${FORMATS}`],
  ['test_output_format', oneOf(FORMATS), `one of ${FORMATS}`],
  ['test_name_format', oneOf(FORMATS), `one of ${FORMATS}`],
  ['visibility', oneOf(VISIBILITIES), `one of ${VISIBILITIES}`],
  ['stdout_visibility', oneOf(VISIBILITIES), `one of ${VISIBILITIES}`],
  ['extra_data', isObject, 'an object'],
  ['tests', Array.isArray, 'an array'],
];

const TEST_RULES: Rule[] = [
  ['score', isNumber, 'a finite number'],
  ['max_score', (v) => isNumber(v) && (v as number) >= 0, 'a non-negative number'],
  ['status', oneOf(['passed', 'failed']), "'passed' or 'failed'"],
  ['name', isString, 'a string'],
  ['name_format', oneOf(FORMATS), `one of ${FORMATS}`],
  ['number', isString, 'a string'],
  ['output', isString, 'a string'],
  ['output_format', oneOf(FORMATS), `one of ${FORMATS}`],
  ['tags', (v) => Array.isArray(v) && v.every(isString), 'an array of strings'],
  ['visibility', oneOf(VISIBILITIES), `one of ${VISIBILITIES}`],
  ['extra_data', isObject, 'an object'],
];

function check(value: Record<string, unknown>, keys: string[], rules: Rule[], where: string): string[] {
  const unknown = Object.keys(value).filter((k) => !keys.includes(k)).map((k) => `${where}: unknown key '${k}'`);
  const wrong = rules
    .filter(([key, ok]) => key in value && !ok(value[key]))
    .map(([key, , what]) => `${where}.${key} should be ${what}, got ${JSON.stringify(value[key])}`);
  return [...unknown, ...wrong];
}

/** `taskIds`: the lab's task ids (default the RNN lab's). */
export function gradescopeProblems(results: unknown, taskIds: readonly string[] = TASK_IDS): string[] {
  if (!isObject(results)) return ['results.json is not an object'];
  const problems = check(results, TOP_KEYS, TOP_RULES, 'results');
  if (!('score' in results) && !Array.isArray(results.tests)) problems.push('results needs a score or tests');
  const tests = Array.isArray(results.tests) ? results.tests : [];
  if (tests.length === 0) problems.push('results.tests is empty (CONTRACT: never an empty report)');
  tests.forEach((test, i) => {
    const where = `tests[${i}]`;
    if (!isObject(test)) return problems.push(`${where} is not an object`);
    problems.push(...check(test, TEST_KEYS, TEST_RULES, where));
    const task = isObject(test.extra_data) ? test.extra_data.task : undefined;
    if (!(taskIds as readonly unknown[]).includes(task)) problems.push(`${where}.extra_data.task should be a task id, got ${JSON.stringify(task)}`);
  });
  const sum = tests.reduce((s: number, t) => s + (isObject(t) && isNumber(t.score) ? (t.score as number) : 0), 0);
  if (isNumber(results.score) && Math.abs((results.score as number) - sum) > 1e-6) {
    problems.push(`results.score ${results.score} is not the sum of the tests' scores ${sum}`);
  }
  return problems;
}
