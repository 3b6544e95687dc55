// The hostile corpus (fixtures/hostile) run through the sandbox with no static checks in front:
// each attack fails only its own requests, with the kind of failure it deserves, reaches nothing
// outside its folder, and leaves the client answering the next request correctly.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleSubmission, type Bundle } from '../../src/sandbox/build.ts';
import { confinement } from '../../src/sandbox/layers.ts';
import { openSandboxed, type SandboxedLab, type SandboxOptions } from '../../src/sandbox/process.ts';
import { StudentError, type PlainTensor } from '../../src/sandbox/protocol.ts';
import { RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const HOSTILE = fileURLToPath(new URL('../../fixtures/hostile/', import.meta.url));
const { layers } = await confinement();

const t = (shape: number[], values: number[]): PlainTensor => ({ shape, data: new Float64Array(values) });
// The lab's example (CONTRACT §3) and answers worked out by hand.
const U = t([2, 2], [-0.3, 0.6, 0.2, 0.1]);
const V = t([2, 2], [0.4, 0.4, 0.9, -0.7]);
const W = t([2, 2], [0.5, -0.1, 0.2, 0.3]);
const x1 = t([2], [0, 1]);
const x2 = t([2], [1, 0]);
const h0 = t([2], [0, 0]);
const TABLE = t([2, 2], [0.75, 0.25, 0.4, 0.6]);
const ABA = t([3, 2], [1, 0, 0, 1, 1, 0]);
/** The tiny bigram RNN over a, b, a outputs the row of T of each word. */
const ROWS_ABA = t([3, 2], [0.75, 0.25, 0.4, 0.6, 0.75, 0.25]);

/** Stands for the grader's folder: secrets and a results.json sit beside the bundles, readable by anyone. */
let grader: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  grader = await tempDir('grader');
  await chmod(grader, 0o755);
  await mkdir(join(grader, 'reference'));
  await writeFile(join(grader, 'reference', 'lab.ts'), '// SECRET reference solution\n');
  await writeFile(join(grader, 'secret.txt'), 'SECRET\n');
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function open(name: string, options?: SandboxOptions): Promise<{ lab: SandboxedLab; bundle: Bundle }> {
  const bundle = await bundleSubmission(join(HOSTILE, name, 'lab.ts'), { entry: 'child', parent: grader, driver: RNN.paths.driver });
  const lab = await openSandboxed(bundle, options);
  cleanups.push(async () => {
    await lab.close();
    await bundle.remove();
  });
  return { lab, bundle };
}

/** The StudentError a request ends with (a request that succeeds fails the test). */
async function failure(request: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await request;
  } catch (error) {
    if (!(error instanceof StudentError)) throw error;
    return { kind: error.kind, message: error.message };
  }
  throw new Error('the request succeeded');
}

const expectHealthy = async (lab: SandboxedLab) => expect(await lab.drive('runBigramRNN', 'tinyBigramRNN', ABA)).toEqual(ROWS_ABA);

describe('the sandbox on this machine', () => {
  it.runIf(process.getuid?.() === 0)('as root, runs the student as nobody, in its own pid namespace, with nothing inherited', async () => {
    const { lab, bundle } = await open('inspect-sandbox');
    expect(lab.layers).toEqual(['net-namespace', 'pid-namespace', 'rlimits', 'user-nobody', 'permission-model', 'frozen-intrinsics', 'no-code-from-strings', 'heap-limit', 'empty-env', 'no-process-kill']);
    expect(await lab.call('inspect')).toEqual({
      uid: 65534,
      pid: 1,
      ppid: 0,
      env: [],
      argv: [bundle.file],
      canWrite: false,
      canReadRoot: false,
      canSpawn: false,
    });
  });
});

describe('hostile submissions', () => {
  it('read-outside: no file outside the bundle folder can be read', async () => {
    const { lab } = await open('read-outside');
    // The export returns whatever it read: a refusal proves that nothing was.
    const refused = await failure(lab.call('sequenceProbability', ABA, TABLE));
    expect(refused.kind).toBe('threw');
    expect(refused.message).toContain('Access to this API has been restricted');
    await expectHealthy(lab);
  });

  it('spawn-process: no child process, no worker', async () => {
    const { lab } = await open('spawn-process');
    for (const request of [lab.call('forward', ABA, 2, U, V, W), lab.call('gradH11WrtU', U, V, x1, h0)])
      // Node 24+ adds which --allow-* option would permit it.
      expect(await failure(request)).toEqual({ kind: 'threw', message: expect.stringMatching(/^Error: Access to this API has been restricted($|\. Use --allow-(child-process|worker) )/) });
    expect(existsSync('/tmp/propgrade-worker-escape')).toBe(false);
    await expectHealthy(lab);
  });

  it.runIf(layers.includes('net-namespace'))('open-socket: nothing reaches a server on 127.0.0.1', async () => {
    const reached: string[] = [];
    const tcp = createServer((socket) => reached.push('tcp')).listen(47017, '127.0.0.1');
    const udp = createSocket('udp4').on('message', () => reached.push('udp'));
    await new Promise((resolve) => tcp.once('listening', resolve));
    await new Promise((resolve) => udp.bind(47017, '127.0.0.1', () => resolve(undefined)));
    try {
      const { lab } = await open('open-socket');
      const viaTcp = await failure(lab.call('forwardByHand', U, V, W, x1, x2, h0));
      const viaUdp = await failure(lab.call('sequenceProbability', ABA, TABLE));
      if (Number(process.versions.node.split('.')[0]) < 25) {
        // The network namespace refuses it.
        expect(viaTcp).toEqual({ kind: 'threw', message: 'Error: connect ENETUNREACH 127.0.0.1:47017 - Local (0.0.0.0:0)' });
        expect(viaUdp).toEqual({ kind: 'threw', message: 'Error: send ENETUNREACH 127.0.0.1:47017' });
      } else {
        // Node 25+ refuses sockets in its permission model already (UDP's refusal comes as an 'error' event nobody handles).
        expect(viaTcp).toEqual({ kind: 'threw', message: 'Error: connect ERR_ACCESS_DENIED Access to this API has been restricted. Use --allow-net to manage permissions.' });
        expect(['threw', 'crashed']).toContain(viaUdp.kind);
      }
      await expectHealthy(lab);
      expect(reached).toEqual([]);
    } finally {
      tcp.close();
      udp.close();
    }
  });

  it('exit-top-level: every request fails as a crash, even with exit code 0, and the client keeps going', async () => {
    const { lab } = await open('exit-top-level');
    const crash = { kind: 'crashed', message: 'your code ended the process (exit code 0)' };
    expect(await failure(lab.exports())).toEqual(crash);
    expect(await failure(lab.drive('runBigramRNN', 'tinyBigramRNN', ABA))).toEqual(crash);
    expect(await failure(lab.call('sequenceProbability', ABA, TABLE))).toEqual(crash);
    expect(lab.starts).toBe(3);
  });

  it('exit-in-call: only the exiting call fails; the next one gets a fresh process', async () => {
    const { lab } = await open('exit-in-call');
    await expectHealthy(lab);
    expect(await failure(lab.drive('runBigramRNN', 'bigramRNN', ABA, TABLE))).toEqual({ kind: 'crashed', message: 'your code ended the process (exit code 0)' });
    await expectHealthy(lab);
    expect(lab.starts).toBe(2);
  });

  it('kill-parent: signals reach neither the grader nor its neighbours', async () => {
    const neighbour = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const { lab } = await open('kill-parent');
      expect(await failure(lab.call('gradH11WrtU', U, V, x1, h0))).toEqual({
        kind: 'threw',
        message: "Error: process.kill is not allowed in the grader's sandbox",
      });
      expect(neighbour.exitCode === null && neighbour.signalCode === null).toBe(true);
      await expectHealthy(lab);
    } finally {
      neighbour.kill();
    }
  });

  it('endless-loop: a busy loop and a promise that never settles each time out, and are replaced', async () => {
    const { lab } = await open('endless-loop', { callTimeoutMs: 1000 });
    const timeout = { kind: 'timeout', message: 'timed out: the call ran over its 1000 ms limit and was stopped' };
    expect(await failure(lab.call('forward', ABA, 2, U, V, W))).toEqual(timeout);
    expect(await failure(lab.call('sequenceProbability', ABA, TABLE))).toEqual(timeout);
    await expectHealthy(lab);
    expect(lab.starts).toBe(3);
  });

  it('memory-bomb: filling the heap crashes as out of memory', async () => {
    const { lab } = await open('memory-bomb');
    expect(await failure(lab.call('forward', ABA, 2, U, V, W))).toEqual({ kind: 'crashed', message: 'your code ended the process (out of memory)' });
    await expectHealthy(lab);
  });

  it.runIf(layers.includes('rlimits'))('memory-bomb: ArrayBuffers, outside the heap, stop at the address-space limit', async () => {
    const { lab } = await open('memory-bomb');
    const refused = { kind: 'threw', message: 'RangeError: Array buffer allocation failed' };
    expect(await failure(lab.drive('runBigramRNN', 'bigramRNN', ABA, TABLE))).toEqual(refused);
    expect(await failure(lab.call('gradH11WrtU', U, V, x1, h0))).toEqual(refused);
    await expectHealthy(lab);
  });

  it('poison-globals: no intrinsic can be patched, and answers stay right', async () => {
    const { lab } = await open('poison-globals');
    expect(await lab.call('patched')).toBe(0);
    // T[a][b] * T[b][a] = 0.25 * 0.4
    expect(await lab.call('sequenceProbability', ABA, TABLE)).toEqual(t([], [0.1]));
    await expectHealthy(lab);
  });

  it('lying-values: proxies, getters, valueOf, __proto__, Maps, BigInts and boxed numbers come back as failures or plain copies', async () => {
    const { lab } = await open('lying-values');
    expect(await failure(lab.call('forwardByHand', U, V, W, x1, x2, h0))).toEqual({ kind: 'threw', message: 'Error: gotcha' });
    // The shape getter answers [1] once, then [1e9, 1e9].
    expect((await failure(lab.call('forward', ABA, 2, U, V, W))).kind).toBe('bad-value');
    expect((await failure(lab.call('sequenceProbability', ABA, TABLE))).kind).toBe('bad-value');
    expect(await failure(lab.call('bigramRNN', TABLE))).toEqual({ kind: 'bad-value', message: 'the result has a forbidden key __proto__' });
    expect((await failure(lab.call('bpttGradU', U, V, W, x1, h0))).kind).toBe('bad-value');
    expect((await failure(lab.call('mapValue'))).kind).toBe('bad-value');
    expect((await failure(lab.call('bigintValue'))).kind).toBe('bad-value');
    // A Float64Array subclass that lies about its length arrives as a plain copy of its real data.
    expect(await lab.call('gradH11WrtU', U, V, x1, h0)).toEqual(t([2, 2], [1, 0, 0, 0]));
    await expectHealthy(lab);
  });

  it('throw-non-errors: strings, numbers, undefined, symbols and hostile objects thrown all read as threw', async () => {
    const { lab } = await open('throw-non-errors');
    const thrown = async (request: Promise<unknown>) => {
      const { kind, message } = await failure(request);
      expect(kind).toBe('threw');
      return message;
    };
    expect(await thrown(lab.call('forwardByHand', U, V, W, x1, x2, h0))).toBe('a non-error value was thrown: a string');
    expect(await thrown(lab.call('forward', ABA, 2, U, V, W))).toBe('a non-error value was thrown: 42');
    expect(await thrown(lab.call('sequenceProbability', ABA, TABLE))).toBe('a non-error value was thrown: undefined');
    expect(await thrown(lab.drive('runBigramRNN', 'bigramRNN', ABA, TABLE))).toBe('an unprintable value was thrown');
    expect(await thrown(lab.call('gradH11WrtU', U, V, x1, h0))).toBe('an unprintable value was thrown');
    expect(await thrown(lab.call('bpttGradU', U, V, W, x1, h0))).toBe('a non-error value was thrown: Symbol(a symbol)');
    await expectHealthy(lab);
    expect(lab.starts).toBe(1);
  });

  it('flood-output: megabytes of output are drained, the first 64 KiB kept and the rest counted', async () => {
    const { lab } = await open('flood-output');
    expect(await lab.call('forward', ABA, 2, U, V, W)).toEqual(t([3, 2], [0, 0, 0, 0, 0, 0]));
    await expectHealthy(lab);
    await lab.close();
    // 4096 lines of 1 KiB on each of stdout and stderr, then one console.log of 1 MiB and its newline.
    const printed = 4096 * 1024 * 2 + 1024 * 1024 + 1;
    const [kept, note] = lab.output().split('\n… ');
    expect(kept).toMatch(/^[#\n]{65536}$/);
    expect(note).toBe(`${printed - 65536} more bytes of output were dropped`);
  });

  it('forge-results: results.json can be written nowhere; a printed fake stays output', async () => {
    const { lab, bundle } = await open('forge-results');
    expect((await failure(lab.call('sequenceProbability', ABA, TABLE))).kind).toBe('threw');
    await expectHealthy(lab);
    expect(await readdir(grader)).toEqual(expect.not.arrayContaining(['results.json']));
    expect(await readdir(bundle.dir)).toEqual(['lab.bundle.mjs', 'lab.bundle.mjs.map']);
    expect(existsSync('/tmp/results.json')).toBe(false);
    expect(lab.output()).toBe('{"score":100,"tests":[]}\n');
  });

  it('forge-frames: frames written around the harness are refused, and the process replaced', async () => {
    const { lab } = await open('forge-frames');
    // labClient numbers a client's requests 1, 2, 3...: the forgeries answer the request in flight.
    expect(await failure(lab.call('forwardByHand', U, V, W, x1, x2, h0))).toEqual({
      kind: 'bad-value',
      message: 'the result is a Map, which is not plain data (numbers, arrays, plain objects, tensors)',
    });
    const refusals: Record<string, string> = {
      bigint: 'the result is a bigint, which is not plain data (numbers, arrays, plain objects, tensors)',
      boxed: 'the result is a Number, which is not plain data (numbers, arrays, plain objects, tensors)',
      error: 'the result is a Error, which is not plain data (numbers, arrays, plain objects, tensors)',
      bytes: 'the result is a Uint8Array, which is not plain data (numbers, arrays, plain objects, tensors)',
      sparse: 'the result is an array with holes or extra properties',
      proto: 'the result has a forbidden key __proto__',
      tensor: 'the result has shape [3] but 2 values',
      deep: `the result${'[0]'.repeat(16)} is nested more than 16 levels deep`,
    };
    let id = 2;
    for (const [kind, message] of Object.entries(refusals))
      expect(await failure(lab.call('forgeAnswer', kind, id++))).toEqual({ kind: 'bad-value', message });
    expect(await failure(lab.call('forgeAnswer', 'map', 999))).toEqual({ kind: 'protocol', message: `the sandbox answered request 999 while ${id++} was asked` });
    expect(await failure(lab.call('forgeGarbage'))).toEqual({
      kind: 'protocol',
      message: 'the sandbox broke the message protocol: Unable to deserialize cloned data.',
    });
    expect(await failure(lab.call('forgeHuge'))).toEqual({
      kind: 'protocol',
      message: 'the sandbox broke the message protocol: a message of 2147483648 bytes is over the 8388608-byte cap',
    });
    expect(lab.starts).toBe(12);
    await expectHealthy(lab);
  });
});

it('every hostile fixture has its test above and an expected.json', async () => {
  const tested = ['endless-loop', 'exit-in-call', 'exit-top-level', 'flood-output', 'forge-frames', 'forge-results', 'inspect-sandbox', 'kill-parent', 'lying-values', 'memory-bomb', 'open-socket', 'poison-globals', 'read-outside', 'spawn-process', 'throw-non-errors'];
  const folders = (await readdir(HOSTILE, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  expect(folders.map((entry) => entry.name).sort()).toEqual(tested);
  expect(tested.filter((name) => !existsSync(join(HOSTILE, name, 'expected.json')))).toEqual([]);
});
