// The course config: found from the working folder up, validated, every setting's origin told; and
// the settings reach grading (lab, runs, the Gradescope visibility of hidden results, the secret).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, DEFAULTS, findConfig, loadConfig } from '../../src/config/config.ts';
import { gradingSecret } from '../../src/grading/seed.ts';
import { tempDir } from '../helpers/temp.ts';
import { propgradeIn } from '../helpers/cli.ts';
import { corpusSubmission, RNN } from '../helpers/rnn.ts';

describe('loadConfig', () => {
  test('without a config every setting is its default, and says so', async () => {
    const dir = await tempDir('config-none');
    expect(findConfig(dir)).toBeUndefined();
    const config = loadConfig(dir);
    expect(config.settings).toEqual(DEFAULTS);
    expect(new Set(Object.values(config.origins))).toEqual(new Set(['default']));
  });

  test('the nearest config above the working folder, paths relative to it', async () => {
    const dir = await tempDir('config-found');
    const file = join(dir, 'propgrade.config.json');
    await writeFile(file, JSON.stringify({ lab: 'labs/mine', runs: 7, secret: { env: 'COURSE_SECRET', file: '../secret' } }));
    await mkdir(join(dir, 'deep', 'er'), { recursive: true });
    const config = loadConfig(join(dir, 'deep', 'er'));
    expect(config.file).toBe(file);
    expect(config.settings).toMatchObject({ lab: join(dir, 'labs/mine'), runs: 7, callTimeoutMs: 2000, secret: { env: 'COURSE_SECRET', file: join(dir, '..', 'secret') } });
    expect(config.origins).toMatchObject({ lab: file, runs: file, callTimeoutMs: 'default', secret: file });
  });

  test('a wrong config names every problem at once', async () => {
    const dir = await tempDir('config-wrong');
    await writeFile(join(dir, 'propgrade.config.json'), JSON.stringify({ runs: 0, heapMb: 'big', hiddenVisibility: 'never', colour: 'blue' }));
    expect(() => loadConfig(dir)).toThrow(ConfigError);
    expect(() => loadConfig(dir)).toThrow(
      /unknown setting\(s\) colour .*; runs must be a whole number of at least 1, got 0; heapMb must be a whole number of at least 1, got "big"; hiddenVisibility must be one of hidden, after_due_date, after_published, visible, got "never"/,
    );
    await writeFile(join(dir, 'propgrade.config.json'), '{ nope');
    expect(() => loadConfig(join(dir, '.'))).toThrow(/not readable JSON/);
  });

  test('the secret: the named variable first, then the named file (made once, 0600)', async () => {
    const dir = await tempDir('config-secret');
    const file = join(dir, 'secret');
    expect(gradingSecret(file, { COURSE: 'from-env' }, 'COURSE')).toBe('from-env');
    const made = gradingSecret(file, {}, 'COURSE');
    expect(made).toMatch(/^[0-9a-f]{64}$/);
    expect(gradingSecret(file, {}, 'COURSE')).toBe(made);
  });
});

describe('the settings reach the commands', () => {
  test('propgrade config prints each setting and its origin; grade uses the lab, runs and visibility of the config', async () => {
    const dir = await tempDir('config-cli');
    await writeFile(join(dir, 'propgrade.config.json'), JSON.stringify({ lab: RNN.dir, runs: 3, hiddenVisibility: 'visible', secret: { file: 'secret' } }));
    const shown = await propgradeIn(dir, ['config', '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ file: join(dir, 'propgrade.config.json'), settings: { runs: 3, hiddenVisibility: 'visible' }, origins: { runs: join(dir, 'propgrade.config.json'), heapMb: 'default' } });

    const graded = await propgradeIn(dir, ['grade', corpusSubmission('forward-no-relu'), '--out', 'out']);
    expect(graded.code).toBe(0);
    const results = JSON.parse(await readFile(join(dir, 'out', 'results.json'), 'utf8')) as { tests: { visibility: string; tags: string[] }[] };
    // Every entry visible, hidden ones included, as the config says.
    expect(results.tests.filter((t) => t.tags.includes('hidden')).map((t) => t.visibility)).toEqual(expect.arrayContaining(['visible']));
    expect(new Set(results.tests.map((t) => t.visibility))).toEqual(new Set(['visible']));
    const report = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')) as { tasks: { properties: { fixed?: boolean; runs: number }[] }[] };
    expect(Math.max(...report.tasks.flatMap((t) => t.properties.map((p) => p.runs)))).toBeLessThanOrEqual(3);
    // The secret file the config names was made (grading drew its seed from it).
    expect((await readFile(join(dir, 'secret'), 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
  });
});
