// `propgrade verify-engine` from the command line: names its backend, prints coverage and the
// kink share, exits 0 when the engine agrees, 2 on bad options.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { propgrade } from '../helpers/cli.ts';

const verifyEngine = (...args: string[]) => propgrade(['verify-engine', ...args]);

const hasTfjsNode = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

describe('propgrade verify-engine', () => {
  it('checks one property on cpu: backend named, coverage and kink share printed, exit 0', async () => {
    const { code, stdout } = await verifyEngine('--backend', 'cpu', '--runs', '40', '--property', 'op-relu', '--seed', '3');
    expect(code).toBe(0);
    expect(stdout).toContain('on the cpu backend');
    expect(stdout).toMatch(/✓ op-relu +20 cases +exact-kink +\d+%/);
    expect(stdout).toContain('coverage (share of cases per generator label):');
    expect(stdout).toMatch(/engine agrees with the oracle: 20 cases on cpu; of the \d+ with a relu\/clamp\/abs\/tie decision, \d+% decided one exactly at its kink \(seed 3\)/);
  });
  it('lists the divergence table', async () => {
    const { code, stdout } = await verifyEngine('--divergences');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^abs +abs'\(0\): tfjs -1, PyTorch 0/m);
  });
  it('refuses an unknown backend, an unknown property and a path without its seed', async () => {
    expect(await verifyEngine('--backend', 'gpu')).toMatchObject({ code: 2, stderr: expect.stringContaining("--backend takes one of tensorflow, wasm, cpu, got 'gpu'") });
    expect(await verifyEngine('--property', 'op-nope')).toMatchObject({ code: 2, stderr: expect.stringContaining("no engine property 'op-nope'") });
    expect(await verifyEngine('--property', 'op-relu', '--path', '0:1')).toMatchObject({ code: 2, stderr: expect.stringContaining('--path replays one counterexample') });
  });
  it.skipIf(hasTfjsNode)('the tensorflow backend, where absent, is a clear error rather than another backend', async () => {
    const { code, stderr } = await verifyEngine('--backend', 'tensorflow', '--property', 'op-neg', '--runs', '10');
    expect(code).toBe(3);
    expect(stderr).toContain('oracle: the tensorflow backend is not available here');
  });
});
