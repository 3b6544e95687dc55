// `check --watch` as a student runs it: each save is checked again and what changed is printed; the
// next save's sandbox boots between saves (its folder holds only the boot), and Ctrl-C leaves neither
// that process nor its folder behind.
import { spawn } from 'node:child_process';
import { chmod, copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CHILD_BOOT } from '../../src/sandbox/build.ts';
import { ROOT } from '../helpers/cli.ts';
import { bootedFrom } from '../helpers/processes.ts';
import { until } from '../helpers/wait.ts';
import { corpusSubmission, REFERENCE_LAB } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

/** `propgrade check <student> --task forward_function --watch` with its own TMPDIR; its output as it comes, and its exit code. */
function watchRun(student: string, tmp: string, runs: number) {
  const run = spawn(process.execPath, [join(ROOT, 'bin/propgrade.js'), 'check', student, '--task', 'forward_function', '--watch', '--runs', String(runs)], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp } });
  const out = { text: '' };
  for (const stream of [run.stdout, run.stderr]) stream.on('data', (chunk: Buffer) => (out.text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => run.on('close', (code) => resolve(code)));
  return { run, out, exited };
}

test('check --watch checks each save again, boots the next save\'s sandbox between saves, and leaves nothing behind on Ctrl-C', async () => {
  const student = await tempDir('watch');
  const file = join(student, 'lab.ts');
  await copyFile(REFERENCE_LAB, file);
  // Its own temporary folder: the sandbox folders this run makes, and only those, are there.
  const tmp = await tempDir('watch-tmp');
  await chmod(tmp, 0o755); // as /tmp is to the sandbox's user, nobody
  const folders = async () => (await readdir(tmp)).filter((name) => name.startsWith('propgrade-build-'));
  const booted = (folder: string) => bootedFrom(join(tmp, folder, CHILD_BOOT));

  const { run, out, exited } = watchRun(student, tmp, 20);
  try {
    await until(() => out.text.includes('watching'), '"watching"');
    // Between saves: one sandbox folder, holding only the boot, and its process already running.
    await until(async () => (await folders()).length === 1 && booted((await folders())[0]!).length === 1, 'the next save\'s sandbox');
    const [ahead] = await folders();
    expect(await readdir(join(tmp, ahead!))).toEqual([CHILD_BOOT]);

    await copyFile(join(corpusSubmission('forward-no-relu'), 'lab.ts'), file);
    await until(() => out.text.includes('checked again'), 'the save to be checked');
    await until(() => /✗ forward_function: all \d+ passed → \d+ of \d+ failed/.test(out.text), 'the change to be printed');
    // That save used the sandbox booted for it; the next one boots in a new folder.
    await until(async () => {
      const now = await folders();
      return now.length === 1 && now[0] !== ahead && booted(now[0]!).length === 1;
    }, 'the sandbox of the save after');
    const [next] = await folders();

    run.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await folders()).toEqual([]);
    expect(booted(next!)).toEqual([]);
  } finally {
    run.kill('SIGKILL');
  }
}, 120_000);

test('Ctrl-C during a save leaves neither its folder nor its process behind', async () => {
  const student = await tempDir('watch-busy');
  const file = join(student, 'lab.ts');
  await copyFile(REFERENCE_LAB, file);
  const tmp = await tempDir('watch-busy-tmp');
  await chmod(tmp, 0o755);
  const folders = async () => (await readdir(tmp)).filter((name) => name.startsWith('propgrade-build-'));
  const { run, out, exited } = watchRun(student, tmp, 20);
  try {
    await until(async () => out.text.includes('watching') && (await folders()).length === 1, 'the next save\'s sandbox');
    const [folder] = await folders();
    // A save whose forward never returns: its check runs into the call limit, seconds of it.
    await writeFile(file, `${await readFile(REFERENCE_LAB, 'utf8')}\nexport function forward(): never { for (;;) {} }\n`.replace(/export function forward\(/, 'function forwardUnused('));
    await until(async () => (await readdir(join(tmp, folder!)).catch((): string[] => [])).includes('lab.bundle.mjs'), 'the save to be built and running');
    run.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await folders()).toEqual([]);
    expect(bootedFrom(join(tmp, folder!, CHILD_BOOT))).toEqual([]);
  } finally {
    run.kill('SIGKILL');
  }
}, 120_000);

test.runIf(process.getuid?.() === 0)('check --watch goes on when no sandbox can open ahead: each save says why it could not be checked', async () => {
  const student = await tempDir('watch-closed');
  await copyFile(REFERENCE_LAB, join(student, 'lab.ts'));
  const tmp = await tempDir('watch-closed-tmp'); // 0700: nobody, the sandbox's user, cannot reach a folder in it
  const { run, out, exited } = watchRun(student, tmp, 5);
  try {
    await until(() => out.text.includes('watching'), '"watching"');
    expect(out.text).toContain('The grader could not start');
    await copyFile(join(corpusSubmission('forward-no-relu'), 'lab.ts'), join(student, 'lab.ts'));
    await until(() => out.text.includes('checked again'), 'the save to be checked');
    expect(out.text).not.toContain('SandboxStartError');
    run.kill('SIGINT');
    expect(await exited).toBe(130);
  } finally {
    run.kill('SIGKILL');
  }
}, 120_000);
