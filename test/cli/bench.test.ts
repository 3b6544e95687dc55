// `propgrade bench`: its sections are named in its help, and a wrong one is a usage error (the
// benchmarks themselves print figures and assert no time: they are run by hand, `npm run bench`).
import { expect, test } from 'vitest';
import { propgrade } from '../helpers/cli.ts';

test('bench --help names every section; an unknown section is a usage error naming them', async () => {
  const help = await propgrade(['bench', '--help']);
  expect(help).toMatchObject({ code: 0, stderr: '' });
  for (const section of ['engine', 'startup', 'grading', 'sandbox', 'load']) expect(help.stdout).toMatch(new RegExp(`^ {2}${section} +\\S`, 'm'));
  const wrong = await propgrade(['bench', '--section', 'nope']);
  expect(wrong).toMatchObject({ code: 2, stdout: '' });
  expect(wrong.stderr).toMatch(/^propgrade bench: unknown section nope \(sections: engine, startup, grading, sandbox, load\)\nusage: propgrade bench \[--section NAME\]\.\.\./);
});
