/**
 * The prebuilt command line (scripts/build-cli.mjs, run by bin/propgrade.js while fresh) and the
 * TypeScript source agree: the same help for every command, the same reports of a graded corpus
 * submission. The build under test is made here, into a folder of its own, from today's source.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
// @ts-expect-error: plain JavaScript modules without declarations
import { buildCli, WORKER_MODULES } from '../../scripts/build-cli.mjs';
// @ts-expect-error: plain JavaScript modules without declarations
import { prebuiltCli } from '../../bin/prebuilt.mjs';
import { propgrade, ROOT } from '../helpers/cli.ts';
import { CORPUS_DIR } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

let prebuilt: NodeJS.ProcessEnv;
const source = { PROPGRADE_FROM_SOURCE: '1' };

beforeAll(async () => {
  // Inside the project, as dist/cli is: its packages resolve from the project's node_modules.
  const dir = join(ROOT, 'dist', `cli-test-${process.pid}`);
  await buildCli(ROOT, dir);
  prebuilt = { PROPGRADE_PREBUILT: dir };
  // Else bin/propgrade.js would quietly run the source, and this test compare the source with itself.
  expect(prebuiltCli(prebuilt)?.href).toBe(`file://${dir}/`);
  expect(prebuiltCli({ ...prebuilt, ...source })).toBeNull();
  // The modules budget workers import (src/sandbox/budget.ts's workerModule), as built.
  for (const module of WORKER_MODULES as string[]) expect(existsSync(join(dir, module.replace(/\.ts$/, '.js'))), module).toBe(true);
  return () => rm(dir, { recursive: true, force: true });
});

test('the same help, for the command line and for every command', async () => {
  const top = await propgrade(['--help'], prebuilt);
  expect(top).toEqual(await propgrade(['--help'], source));
  const commands = [...top.stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]!);
  expect(commands).toContain('grade');
  for (const name of commands) expect(await propgrade(['help', name], prebuilt), name).toEqual(await propgrade(['help', name], source));
});

/**
 * Text with the stack frames taken out, and the note that says how much of a long text was cut:
 * the build's frames are in its bundle, the source's in src/, so their lengths differ, and so does
 * where a cut falls: the line the cut ends (a frame's part, of any length) goes with the note.
 */
const unstacked = (text: string) => text.replace(/\n[^\n]*\n\.\.\. \(\d+ more characters cut\)/g, '\n... (cut)').replace(/^ *at .*\n?/gm, '');
/** A report without what varies from run to run (timings, the time it started) and without stack frames. */
const steady = (text: string) =>
  JSON.stringify(JSON.parse(text, (key, value: unknown) => (['durationMs', 'execution_time', 'startedAt'].includes(key) ? undefined : typeof value === 'string' ? unstacked(value) : value)));

test('the same reports and output for a corpus submission, graded with a seed', async () => {
  const out = join(await tempDir('prebuilt-grade'), 'reports');
  const graded = async (env: NodeJS.ProcessEnv) => {
    await rm(out, { recursive: true, force: true });
    const run = await propgrade(['grade', join(CORPUS_DIR, 'forward-no-relu'), '--seed', '5', '--runs', '20', '--out', out], env);
    return {
      code: run.code,
      stdout: run.stdout.replace(/ in \d+\.\d s$/m, ''),
      results: steady(await readFile(join(out, 'results.json'), 'utf8')),
      report: steady(await readFile(join(out, 'report.json'), 'utf8')),
      markdown: unstacked(await readFile(join(out, 'report.md'), 'utf8')),
    };
  };
  const fromBuild = await graded(prebuilt);
  expect(fromBuild.code).toBe(0);
  expect(fromBuild.results).toMatch(/"status":"failed"/); // a submission with a bug: failures are compared too
  expect(fromBuild).toEqual(await graded(source));
});
