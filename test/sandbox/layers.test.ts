/**
 * The sandbox's start (src/sandbox/layers.ts) on simulated machines: a node that refuses a flag, a
 * machine without unshare, a machine too slow to answer. Each probe runs for real (real processes,
 * real timeouts); only the machine's description is changed. A refusal gives way to a weaker
 * confinement that says why; slowness never does; as root the student never runs as root.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { bundleSubmission } from '../../src/sandbox/build.ts';
import { checkRequired, confinement, nodeFlags, probeConfinement, SandboxStartError, THIS_MACHINE, type Machine } from '../../src/sandbox/layers.ts';
import { openSandboxed } from '../../src/sandbox/process.ts';
import { RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const isRoot = process.getuid?.() === 0;
const INSPECT = fileURLToPath(new URL('../../fixtures/hostile/inspect-sandbox/lab.ts', import.meta.url));

/** A folder anyone may enter (the probe may run as nobody), holding an executable shell script. */
async function script(name: string, body: string): Promise<string> {
  const dir = await tempDir('fake-node');
  await chmod(dir, 0o755);
  const file = join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

const machine = (changes: Partial<Machine>): Machine => ({ ...THIS_MACHINE, ...changes });

describe('node flags, as the running node spells them', () => {
  test('the permission flag and --disable-warning come from what this node accepts', () => {
    const flags = nodeFlags('/d', { heapMb: 64, memoryMb: 2048, cpuSeconds: 60 });
    const accepted = process.allowedNodeEnvironmentFlags;
    expect(flags[0]).toBe(accepted.has('--permission') ? '--permission' : '--experimental-permission');
    expect(flags.some((f) => f.startsWith('--disable-warning'))).toBe(accepted.has('--disable-warning'));
    expect(flags).toEqual(expect.arrayContaining(['--allow-fs-read=/d/', '--frozen-intrinsics', '--disallow-code-generation-from-strings', '--max-old-space-size=64']));
  });

  test.each([
    ['Node 20.10 (no --disable-warning)', ['--experimental-permission'], '--experimental-permission', false],
    ['Node 22 (both spellings)', ['--permission', '--experimental-permission', '--disable-warning'], '--permission', true],
    ['Node 24 and 26', ['--permission', '--disable-warning'], '--permission', true],
  ])('%s', (_, accepts, permission, disableWarning) => {
    const flags = nodeFlags('/d', { heapMb: 64, memoryMb: 2048, cpuSeconds: 60 }, new Set(accepts));
    expect(flags[0]).toBe(permission);
    expect(flags.includes('--disable-warning=ExperimentalWarning')).toBe(disableWarning);
    expect(flags.includes('--no-warnings')).toBe(!disableWarning);
  });

  test('a node with no permission model cannot run the sandbox: said, not ignored', () => {
    expect(() => nodeFlags('/d', { heapMb: 64, memoryMb: 2048, cpuSeconds: 60 }, new Set(['--frozen-intrinsics']))).toThrow(SandboxStartError);
  });
});

describe('the probe', () => {
  test('this machine: the strongest candidate, the student never root', async () => {
    const here = await confinement();
    expect(here.layers).toEqual(expect.arrayContaining(['permission-model', 'frozen-intrinsics', 'heap-limit']));
    if (isRoot) expect(here.layers).toContain('user-nobody');
    // Once per process: the same answer, not a second probe.
    expect(await confinement()).toBe(here);
  });

  test('a node that refuses a flag: no confinement runs it, and the error quotes node', async () => {
    const node = await script('node', 'echo "$0: bad option: $1" >&2\nexit 9');
    const error = await probeConfinement(machine({ node })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxStartError);
    expect((error as Error).message).toMatch(/^the sandbox cannot start: no confinement runs node here/);
    expect((error as Error).message).toContain(`exit code 9: ${node}: bad option: --`);
  });

  test('a machine without unshare: the next candidate, which says why, and as root still runs the student as nobody', async () => {
    const unshare = '/nonexistent/unshare';
    const here = await probeConfinement(machine({ tools: { ...THIS_MACHINE.tools, unshare } }));
    expect(here.layers).not.toContain('net-namespace');
    expect(here.refused).toEqual([expect.stringContaining(`${unshare} not on this machine`)]);
    expect(here.layers.includes('user-nobody')).toBe(isRoot);
    expect(() => checkRequired(here, ['net-namespace'])).toThrow(/the layer\(s\) net-namespace are required, and this machine runs only .*\/nonexistent\/unshare not on this machine/);

    const bundle = await bundleSubmission(INSPECT, { entry: 'child', driver: RNN.paths.driver });
    const lab = await openSandboxed(bundle, { confinement: here });
    try {
      expect(lab.layers).toEqual(here.layers);
      const seen = (await lab.call('inspect')) as { uid: number; canWrite: boolean; canSpawn: boolean };
      expect(seen.uid).toBe(isRoot ? 65534 : process.getuid?.());
      expect(seen).toMatchObject({ canWrite: false, canSpawn: false });
    } finally {
      await lab.close();
      await bundle.remove();
    }
  });

  test('a probe too slow to answer: retried with a longer limit, then a SandboxStartError, never a weaker confinement', async () => {
    const node = await script('node', 'sleep 30');
    const started = Date.now();
    const error = await probeConfinement(machine({ node, tries: [200, 400] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxStartError);
    expect((error as Error).message).toMatch(/did not answer within 0.2 s, then 0.4 s .*a weaker confinement is never chosen for slowness/);
    // The sleeping fake was killed, not waited for.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test('a probe that is slow and then answers: the same strongest layers as an idle machine', async () => {
    const node = await script('node', `sleep 1\nexec ${process.execPath} "$@"`);
    const slow = await probeConfinement(machine({ node, tries: [300, 60_000] }));
    expect(slow.layers).toEqual((await confinement()).layers);
  });
});
