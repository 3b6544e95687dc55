/**
 * `propgrade grade` leaves no process behind: when it has exited, no live process remains in its
 * process group (the esbuild services it started) or works in its temporary folder (the sandboxed
 * children, which run in groups of their own). A submission that loops and hangs makes sure the
 * sandbox had children to end.
 */
import { spawn } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.ts';
import { corpusSubmission } from '../helpers/rnn.ts';
import { liveProcesses } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

/** Live processes in group `pgrp`, or whose command line names `folder`. */
const leftBehind = (pgrp: number, folder: string): string[] =>
  liveProcesses()
    .map((p) => ({ ...p, command: p.argv.join(' ') }))
    .filter((p) => p.group === pgrp || p.command.includes(folder))
    .map((p) => `${p.pid} ${p.state} ${p.command}`);

test.each([corpusSubmission('correct-loops'), join(ROOT, 'fixtures/hostile/endless-loop')])('grade %s leaves no process behind', async (submission) => {
  const tmp = await tempDir('left');
  await chmod(tmp, 0o755); // the sandbox's user nobody builds and reads under it
  const grade = spawn(process.execPath, [join(ROOT, 'bin/propgrade.js'), 'grade', submission, '--out', join(tmp, 'out'), '--seed', '1', '--runs', '2'], {
    cwd: ROOT,
    detached: true, // its own process group, as batch runs it
    stdio: 'ignore',
    env: { ...process.env, TMPDIR: tmp },
  });
  const code = await new Promise((resolve) => grade.on('close', resolve));
  expect(code).toBe(0);
  expect(leftBehind(grade.pid!, tmp)).toEqual([]);
}, 300_000);
