// The hostile corpus (fixtures/hostile) run through the sandbox with no static checks in front:
// each attack fails only its own requests, with the kind of failure it deserves, reaches nothing
// outside its folder, and leaves the client answering the next request correctly.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootOf, bundleSubmission, type Bundle } from '../../src/sandbox/build.ts';
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

/** The sandbox's refusal of a module off its allow-list (lockdown.ts). */
const notAvailable = (id: string) => `Error: '${id}' is not available in the grader's sandbox: a lab uses only propgrade/autograd`;

const expectHealthy = async (lab: SandboxedLab) => expect(await lab.drive('runBigramRNN', 'tinyBigramRNN', ABA)).toEqual(ROWS_ABA);

describe('the sandbox on this machine', () => {
  it('passes the student no environment, not even the NODE_V8_COVERAGE that Node adds to every child, and lets it read only its folder', async () => {
    // Set here (c8 sets it too), so the test holds with and without coverage.
    const saved = process.env.NODE_V8_COVERAGE;
    process.env.NODE_V8_COVERAGE = await tempDir('coverage');
    try {
      const { lab } = await open('inspect-sandbox');
      expect(await lab.call('inspect')).toMatchObject({ env: [], canWrite: false, canReadRoot: false, canSpawn: false });
    } finally {
      if (saved === undefined) delete process.env.NODE_V8_COVERAGE;
      else process.env.NODE_V8_COVERAGE = saved;
    }
  });

  it.runIf(process.getuid?.() === 0)('as root, runs the student as nobody, in its own pid namespace, with nothing inherited', async () => {
    const { lab, bundle } = await open('inspect-sandbox');
    expect(lab.layers).toEqual(['net-namespace', 'pid-namespace', 'rlimits', 'user-nobody', 'no-sockets', 'permission-model', 'frozen-intrinsics', 'no-code-from-strings', 'heap-limit', 'empty-env', 'no-process-kill', 'builtins-allow-list']);
    expect(await lab.call('inspect')).toEqual({
      uid: 65534,
      pid: 1,
      ppid: 0,
      env: [],
      argv: [bootOf(bundle.dir)],
      canWrite: false,
      canReadRoot: false,
      canSpawn: false,
    });
  });
});

describe('hostile submissions', () => {
  it('read-outside: no file outside the bundle folder can be read', async () => {
    const { lab } = await open('read-outside');
    // The export returns whatever it read: the refusals prove that nothing was. Behind these two
    // walls, the permission model reads only the bundle folder (checked below, 'inspect').
    expect(await failure(lab.call('sequenceProbability', ABA, TABLE))).toEqual({
      kind: 'threw',
      message: `Error: ${notAvailable('node:fs')}; Error: process.stdin is not allowed in the grader's sandbox`,
    });
    await expectHealthy(lab);
  });

  it('spawn-process: no child process, no worker', async () => {
    const { lab } = await open('spawn-process');
    expect(await failure(lab.call('forward', ABA, 2, U, V, W))).toEqual({ kind: 'threw', message: notAvailable('node:child_process') });
    expect(await failure(lab.call('gradH11WrtU', U, V, x1, h0))).toEqual({ kind: 'threw', message: notAvailable('node:worker_threads') });
    expect(existsSync('/tmp/propgrade-worker-escape')).toBe(false);
    await expectHealthy(lab);
  });

  it.runIf(layers.includes('net-namespace') || layers.includes('no-sockets'))('open-socket: nothing reaches a server on 127.0.0.1', async () => {
    const reached: string[] = [];
    const tcp = createServer(() => reached.push('tcp')).listen(47017, '127.0.0.1');
    const udp = createSocket('udp4').on('message', () => reached.push('udp'));
    await new Promise((resolve) => tcp.once('listening', resolve));
    await new Promise((resolve) => udp.bind(47017, '127.0.0.1', () => resolve(undefined)));
    try {
      const { lab } = await open('open-socket');
      // process.stdout's class needs no module: the seccomp filter refuses its socket, else the empty
      // network namespace; Node 25+ refuses it already in its permission model.
      const refusal = layers.includes('no-sockets') ? 'EACCES 127.0.0.1:47017 - Local (undefined:undefined)' : 'ENETUNREACH 127.0.0.1:47017 - Local (0.0.0.0:0)';
      const refusedByNode = 'ERR_ACCESS_DENIED Access to this API has been restricted. Use --allow-net to manage permissions.';
      expect(await failure(lab.call('forwardByHand', U, V, W, x1, x2, h0))).toEqual({ kind: 'threw', message: expect.toBeOneOf([`Error: connect ${refusal}`, `Error: connect ${refusedByNode}`]) });
      expect(await failure(lab.call('sequenceProbability', ABA, TABLE))).toEqual({ kind: 'threw', message: notAvailable('node:dgram') });
      await expectHealthy(lab);
      expect(reached).toEqual([]);
    } finally {
      tcp.close();
      udp.close();
    }
  });

  it.runIf(layers.includes('no-sockets'))('unix-sockets: no socket file outside the bundle, nothing reaches a world-writable socket of the host', async () => {
    const [listenPath, hostPath] = ['/tmp/propgrade-hostile-listen.sock', '/tmp/propgrade-hostile-host.sock'];
    for (const path of [listenPath, hostPath]) await rm(path, { force: true });
    const arrived: string[] = [];
    const host = createServer((socket) => socket.on('data', (chunk) => arrived.push(String(chunk)))).listen(hostPath);
    await new Promise((resolve) => host.once('listening', resolve));
    await chmod(hostPath, 0o777);
    try {
      const { lab } = await open('unix-sockets');
      // libuv's code for EACCES, from the handle's bind (no-sockets); Node 25+ refuses it already in its permission model.
      const refusedByNode = 'Access to this API has been restricted. Use --allow-net to manage permissions.';
      expect(await failure(lab.call('forwardByHand', U, V, W, x1, x2, h0))).toEqual({ kind: 'threw', message: expect.toBeOneOf([`Error: bind ${listenPath}: error -13`, `Error: ${refusedByNode}`]) });
      expect(await failure(lab.call('sequenceProbability', ABA, TABLE))).toEqual({ kind: 'threw', message: expect.toBeOneOf([`Error: connect EACCES ${hostPath}`, `Error: ${refusedByNode}`, `Error: connect ERR_ACCESS_DENIED ${refusedByNode}`]) });
      await expectHealthy(lab);
      expect(existsSync(listenPath)).toBe(false);
      expect(arrived).toEqual([]);
    } finally {
      host.close();
    }
  });

  it('reach-builtins: no builtin off the allow-list is reachable, by any loader, nor lying around under globalThis', async () => {
    // The hunt walks some 7,000 objects: slow under load.
    const { lab } = await open('reach-builtins', { callTimeoutMs: 30_000 });
    const threw = (message: string) => ({ kind: 'threw', message });
    const notAllowed = (what: string) => threw(`Error: ${what} is not allowed in the grader's sandbox`);
    expect(await failure(lab.call('forward', ABA, 2, U, V, W))).toEqual(threw(notAvailable('node:vm')));
    expect(await failure(lab.call('gradH11WrtU', U, V, x1, h0))).toEqual(threw(notAvailable('v8')));
    const refusals = {
      import: (name: string) => threw(notAvailable(`node:${name}`)),
      'bare-import': (name: string) => threw(notAvailable(name)),
      'data-import': (name: string) => threw(notAvailable(`data:text/javascript,export * from "node:${name}"`)),
      require: (name: string) => threw(notAvailable(name)),
      createRequire: () => threw(notAvailable('node:module')),
      getBuiltinModule: (name: string) => threw(notAvailable(name)),
      binding: () => notAllowed('process.binding'),
      linkedBinding: () => notAllowed('process._linkedBinding'),
      dlopen: () => notAllowed('process.dlopen'),
    };
    for (const name of ['vm', 'v8', 'worker_threads', 'child_process', 'net', 'dgram', 'http', 'inspector', 'fs', 'module', 'os'])
      for (const [route, refusal] of Object.entries(refusals)) expect([route, name, await failure(lab.call('reach', route, name))]).toEqual([route, name, refusal(name)]);
    // The allow-list lets its own through.
    expect(await lab.call('reach', 'import', 'path')).toBe('object');
    expect(await lab.call('reach', 'require', 'util')).toBe('object');
    expect(await lab.call('hunt')).toEqual([]);
    // The walk reads every getter; nothing it touched may end the process later (undici did).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await expectHealthy(lab);
    expect(lab.starts).toBe(1);
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
    // A small heap and a far time limit: under load, V8's last garbage collections before it gives
    // up took over 4 s at 128 MiB; at 32 MiB it dies in under a second either way.
    const { lab } = await open('memory-bomb', { limits: { heapMb: 32 }, callTimeoutMs: 30_000 });
    expect(await failure(lab.call('forward', ABA, 2, U, V, W))).toEqual({ kind: 'crashed', message: 'your code ended the process (out of memory)' });
    await expectHealthy(lab);
  });

  it.runIf(layers.includes('rlimits'))('memory-bomb: ArrayBuffers, outside the heap, stop at the address-space limit', async () => {
    // A far time limit: filling a gigabyte or two of buffers took over 2 s under load.
    // The default address space (2 GiB): at 1 GiB Node 24 cannot even stay up.
    const { lab } = await open('memory-bomb', { callTimeoutMs: 30_000 });
    // Stopped by the limit either way: the allocation refused (Node 20, 22), or, where V8 itself
    // needs the rest of that address space, the process ended out of memory.
    const stopped = [
      { kind: 'threw', message: 'RangeError: Array buffer allocation failed' },
      { kind: 'crashed', message: 'your code ended the process (out of memory)' },
    ];
    expect(stopped).toContainEqual(await failure(lab.drive('runBigramRNN', 'bigramRNN', ABA, TABLE)));
    expect(stopped).toContainEqual(await failure(lab.call('gradH11WrtU', U, V, x1, h0)));
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
    // The last route tried, process.report, needs no module: the permission model refuses it.
    expect(await failure(lab.call('sequenceProbability', ABA, TABLE))).toEqual({ kind: 'threw', message: 'Error: Access to this API has been restricted' });
    await expectHealthy(lab);
    expect(await readdir(grader)).toEqual(expect.not.arrayContaining(['results.json']));
    expect((await readdir(bundle.dir)).sort()).toEqual(['child.mjs', 'lab.bundle.mjs', 'lab.bundle.mjs.map']);
    expect(existsSync('/tmp/results.json')).toBe(false);
    expect(lab.output()).toBe('{"score":100,"tests":[]}\n');
  });

  it('forge-frames: no frame can be written around the harness: fd 3 is out of reach', async () => {
    const { lab } = await open('forge-frames');
    // A forged frame would answer the request in flight; the grader's checks of frames are in
    // validate.test.ts and framing.test.ts.
    // The guard handle holds fd 3 (EEXIST); Node 25+ refuses any socket on it in its permission model.
    const refused = { kind: 'threw', message: expect.toBeOneOf([`Error: ${notAvailable('node:fs')}; Error: open EEXIST`, `Error: ${notAvailable('node:fs')}; Error: Access to this API has been restricted. Use --allow-net to manage permissions.`]) };
    expect(await failure(lab.call('forwardByHand', U, V, W, x1, x2, h0))).toEqual(refused);
    for (const kind of ['map', 'bigint', 'boxed', 'error', 'bytes', 'sparse', 'proto', 'tensor', 'deep'])
      expect(await failure(lab.call('forgeAnswer', kind, 3))).toEqual(refused);
    expect(await failure(lab.call('forgeGarbage'))).toEqual(refused);
    expect(await failure(lab.call('forgeHuge'))).toEqual(refused);
    await expectHealthy(lab);
    expect(lab.starts).toBe(1);
  });
});

it('every hostile fixture has its test above and an expected.json', async () => {
  // The report attacks (huge-strings, markup-carriers, terminal-escapes) are tested where the reports are: test/reports/hostile.test.ts, test/html/hostile-pages.test.ts.
  const reports = ['huge-strings', 'markup-carriers', 'terminal-escapes'];
  const tested = ['endless-loop', 'exit-in-call', 'exit-top-level', 'flood-output', 'forge-frames', 'forge-results', 'inspect-sandbox', 'kill-parent', 'lying-values', 'memory-bomb', 'open-socket', 'poison-globals', 'reach-builtins', 'read-outside', 'spawn-process', 'throw-non-errors', 'unix-sockets', ...reports].sort();
  const folders = (await readdir(HOSTILE, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  expect(folders.map((entry) => entry.name).sort()).toEqual(tested);
  expect(tested.filter((name) => !existsSync(join(HOSTILE, name, 'expected.json')))).toEqual([]);
});
