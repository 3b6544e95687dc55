// `propgrade labs`: every bundled lab with its folder, submission file and tasks; a lab named by --lab too.
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { propgrade } from '../helpers/cli.ts';
import { RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

test('lists the bundled labs; a copy outside the project, named by --lab, imports this propgrade and is listed beside them', async () => {
  const copy = join(await tempDir('labs'), 'my-rnn');
  await cp(RNN.dir, copy, { recursive: true, filter: (src) => !src.includes(`${join(RNN.dir, 'corpus')}`) });
  const refused = await propgrade(['labs', '--lab', copy]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('a lab is ES modules, but no package.json above it says "type": "module"');
  await writeFile(join(copy, 'package.json'), '{ "type": "module" }\n');
  const run = await propgrade(['labs', '--lab', copy]);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('rnn (default): Lab 2.2: recurrent networks\n  folder specs/rnn, submission file lab.ts; has reference, template, guide, corpus, driver, oracle');
  expect(run.stdout).toMatch(/ {4}automatic_diff {8}1 pt {2}gradH11WrtU {2}\(2 public, 2 hidden properties\)/);
  // The copy has no corpus: its parts say so.
  expect(run.stdout).toContain(`folder ${copy}, submission file lab.ts; has reference, template, guide, driver, oracle`);
});

test('a folder that is no lab, or whose index.ts defines none, is a usage error with the reason', async () => {
  const none = await propgrade(['labs', '--lab', 'test']);
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/test is not a lab: it has no index\.ts/);
  const other = await propgrade(['labs', '--lab', 'src']);
  expect(other.code).toBe(2);
  expect(other.stderr).toMatch(/src\/index\.ts does not default-export a lab/);
});
