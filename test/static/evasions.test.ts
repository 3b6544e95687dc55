/**
 * The evasion corpus (fixtures/evasions): each file is caught exactly on the lines it marks with
 * `// expect: <rule-id>`, under the specs' own tasks; the clean ones, and every correct submission
 * of the grading corpus, have no finding at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { lintModule } from '../../src/static/index.ts';
import { RNN } from '../helpers/rnn.ts';

const EVASIONS = fileURLToPath(new URL('../../fixtures/evasions/', import.meta.url));
const SUBMISSIONS = fileURLToPath(new URL('../../specs/rnn/corpus/', import.meta.url));

/** `line rule` for every `// expect: rule[, rule]` marker of a file. */
function marked(text: string): string[] {
  return text.split('\n').flatMap((source, i) => {
    const rules = /\/\/ expect: ([\w-]+(?:, [\w-]+)*)\s*$/.exec(source)?.[1]?.split(', ') ?? [];
    return rules.map((rule) => `${i + 1} ${rule}`);
  });
}

const found = async (file: string) => [...new Set((await lintModule(file, RNN.tasks)).map((f) => `${f.line} ${f.rule}`))].sort();

const files = readdirSync(EVASIONS).filter((f) => f.endsWith('.ts'));

describe('evasions', () => {
  test.each(files.filter((f) => !f.startsWith('clean-')))('%s is caught on its marked lines, and only there', async (name) => {
    const file = EVASIONS + name;
    const expected = marked(readFileSync(file, 'utf8')).sort();
    expect(await found(file)).toEqual(expected);
  });

  test('every evasion but the harmless type import marks something to catch', () => {
    const unmarked = files.filter((f) => !f.startsWith('clean-') && marked(readFileSync(EVASIONS + f, 'utf8')).length === 0);
    expect(unmarked).toEqual(['type-import.ts']);
  });
});

describe('no false positives', () => {
  const clean = files.filter((f) => f.startsWith('clean-'));
  const correct = readdirSync(SUBMISSIONS).filter((d) => d.startsWith('correct'));

  test('the corpora hold what this test relies on', () => {
    expect(clean.length).toBeGreaterThanOrEqual(3);
    expect(correct.length).toBeGreaterThanOrEqual(1);
  });

  test.each(clean)('%s (a correct lab) has no finding', async (name) => {
    expect(await lintModule(EVASIONS + name, RNN.tasks)).toEqual([]);
  });

  test.each(correct)('submission %s has no fail finding', async (name) => {
    const findings = await lintModule(`${SUBMISSIONS}${name}/lab.ts`, RNN.tasks);
    expect(findings.filter((f) => f.policy === 'fail')).toEqual([]);
  });
});
