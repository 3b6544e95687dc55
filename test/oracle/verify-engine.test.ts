// `propgrade verify-engine` from the command line: names its backend, prints coverage and the
// kink share, exits 0 when the engine agrees, 2 on bad options.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findTorch } from '../../src/oracle/torch.ts';
import { propgrade } from '../helpers/cli.ts';

const verifyEngine = (...args: string[]) => propgrade(['verify-engine', ...args]);

const found = await findTorch();
if ('oracle' in found) found.oracle.close();
const noTorch = 'reason' in found ? ` (skipped: ${found.reason})` : '';

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
  it('refuses an unknown oracle', async () => {
    expect(await verifyEngine('--oracle', 'jax')).toMatchObject({ code: 2, stderr: expect.stringContaining("--oracle takes one of tfjs, torch, got 'jax'") });
  });
  it('--oracle torch where no python3 imports torch: a clear reason naming the interpreter, exit 3', async () => {
    const { code, stderr } = await propgrade(['verify-engine', '--oracle', 'torch', '--property', 'op-neg', '--runs', '10'], { PROPGRADE_PYTHON: '/nonexistent/python3' });
    expect(code).toBe(3);
    expect(stderr).toContain('oracle: PyTorch is not available here: no python3 here imports torch (Debian: apt-get install python3-torch): /nonexistent/python3: spawn /nonexistent/python3 ENOENT');
  });
  it.skipIf(noTorch)(`--oracle torch: names PyTorch and its interpreter, exit 0${noTorch}`, async () => {
    const { code, stdout } = await verifyEngine('--oracle', 'torch', '--backend', 'cpu', '--runs', '40', '--property', 'op-max', '--seed', '3');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^verify-engine: oracle PyTorch [\d.]+\w* \(\/.*python3\), float64, the whole domain/);
    expect(stdout).toMatch(/✓ op-max +20 cases/);
    expect(stdout).toMatch(/engine agrees with the oracle: 20 cases on PyTorch/);
  });
  it.skipIf(noTorch)(`--json: the run as JSON, exclusions counted by reason${noTorch}`, async () => {
    const { code, stdout } = await verifyEngine('--oracle', 'torch', '--backend', 'cpu', '--runs', '40', '--property', 'op-prod', '--seed', '4', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { oracle: string; ok: boolean; cases: number; properties: { id: string; runs: number; excluded: Record<string, number> }[] };
    expect(report).toMatchObject({ oracle: expect.stringMatching(/^PyTorch /), ok: true, cases: 20 });
    expect(report.properties.map((p) => p.id)).toEqual(['op-prod']);
    for (const reason of Object.keys(report.properties[0]!.excluded)) expect(reason).toMatch(/deliberate|implementation-defined/);
  });
  it('--divergences --oracle torch lists where the torch oracle does not hold the engine to PyTorch', async () => {
    const { code, stdout } = await verifyEngine('--divergences', '--oracle', 'torch');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^prod +without a zero PyTorch divides/m);
    expect(stdout).toMatch(/^max +torch.max\(x, dim\) sends a tie's gradient to one index/m);
  });
});
