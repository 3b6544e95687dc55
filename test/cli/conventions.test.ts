// What a Node tool's users expect: --version, `help <command>` (stdout, exit 0), usage errors on
// stderr with exit 2, and usage, help and parsing from one declaration per command.
import { expect, test } from 'vitest';
import { propgrade } from '../helpers/cli.ts';

test('--version prints the package version; no command is a usage error on stderr', async () => {
  expect(await propgrade(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  const none = await propgrade([]);
  expect(none).toMatchObject({ code: 2, stdout: '' });
  expect(none.stderr).toMatch(/^usage: propgrade <command>/);
});

test("`help <command>` is `<command> --help`: usage, summary and every option, on stdout", async () => {
  const help = await propgrade(['help', 'lint']);
  expect(help).toMatchObject({ code: 0, stderr: '' });
  expect(help.stdout).toMatch(/^usage: propgrade lint <submission> \[--lab DIR\] \[--json\]\n\nThe static checks alone\.\n/);
  expect(help.stdout).toMatch(/\n {2}--lab DIR {2}the lab \(default: the course config's, else the bundled RNN lab, specs\/rnn\)\n {2}--json {5}print the result as JSON/);
  expect((await propgrade(['lint', '--help'])).stdout).toBe(help.stdout);
  expect(await propgrade(['help', 'nope'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command 'nope'/) });
});

test('an unknown option or a missing required one is a usage error naming the usage', async () => {
  const unknown = await propgrade(['lint', '--nope']);
  expect(unknown).toMatchObject({ code: 2, stdout: '' });
  expect(unknown.stderr).toMatch(/Unknown option '--nope'[\s\S]*usage: propgrade lint <submission>/);
  const missing = await propgrade(['assign']);
  expect(missing.stderr).toMatch(/--out must be given/);
});
