/** `propgrade lint` as a user runs it: the submission forms it takes, and the exit codes. */
import { expect, test } from 'vitest';
import { propgrade } from '../helpers/cli.ts';

test('lint takes a submission as grade does: a folder holding lab.ts, or the file', async () => {
  for (const submission of ['reference', 'reference/lab.ts']) {
    const run = await propgrade(['lint', submission]);
    expect(run).toMatchObject({ code: 0, stdout: 'reference/lab.ts: no findings\n' });
  }
});

test('lint of a submission that is not there is a usage error (exit 2) saying why', async () => {
  const missing = await propgrade(['lint', 'no-such-folder']);
  expect(missing).toMatchObject({ code: 2, stderr: "propgrade lint: The submission 'no-such-folder' does not exist.\n" });
  const empty = await propgrade(['lint', 'specs']);
  expect(empty.code).toBe(2);
  expect(empty.stderr).toContain("propgrade lint: There is no lab.ts in 'specs'");
});
