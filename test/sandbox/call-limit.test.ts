/**
 * A call's limit measures the student's code, not the machine (src/sandbox/process.ts): CPU time
 * and waiting count, time a busy machine keeps the process off the CPU does not. The busy machine
 * here is real: the sandboxed process is pinned to one core beside four busy loops pinned there too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { confinement, type Confinement } from '../../src/sandbox/layers.ts';
import { openSandboxed } from '../../src/sandbox/process.ts';
import { StudentError } from '../../src/sandbox/protocol.ts';
import { tempDir } from '../helpers/temp.ts';

const TASKSET = '/usr/bin/taskset';
/** The first core this process may run on (a container's cpuset need not hold core 0). */
const CORE = existsSync('/proc/self/status') ? (/^Cpus_allowed_list:\s*(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0') : '0';

/** Spins until its own process has used `ms` of CPU time: a call that costs that much, however busy the machine. */
const SPIN = `
export function spin(ms: number): number {
  const start = process.cpuUsage();
  let n = 0;
  for (;;) {
    for (let i = 0; i < 1e5; i++) n += i;
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return n > 0 ? ms : 0;
  }
}
export const wait = (): Promise<number> => new Promise(() => {});
`;

let file: string;
let pinned: Confinement;
const hogs: ChildProcess[] = [];

beforeAll(async () => {
  file = join(await tempDir('call-limit'), 'lab.ts');
  await writeFile(file, SPIN);
  const here = await confinement();
  // taskset execs the layers in place: the same process, held to one core.
  pinned = { ...here, command: (dir, script, limits) => {
    const launch = here.command(dir, script, limits);
    return { ...launch, file: TASKSET, args: ['-c', CORE, launch.file, ...launch.args] };
  } };
});
afterAll(() => {
  for (const hog of hogs) hog.kill('SIGKILL');
});

/**
 * Busy loops on that core, started once: four, each leading a session of its own as the sandboxed
 * child does, so that Linux's autogroup scheduling (where it is on) shares the core five ways as
 * plain CFS does: the call gets about a fifth of it either way.
 */
function loadTheCore(): void {
  if (hogs.length > 0) return;
  for (let i = 0; i < 4; i++) hogs.push(spawn(TASKSET, ['-c', CORE, process.execPath, '-e', 'for (;;);'], { stdio: 'ignore', detached: true }));
}

async function call(name: string, args: number[], options: { callTimeoutMs: number }) {
  const lab = await openSandboxed(file, { ...options, wallBackstopMs: 60_000, confinement: pinned });
  try {
    await lab.call('spin', 1); // the process is up: its start-up is not part of the call below
    const started = Date.now();
    const result = await lab.call(name, ...args).catch((error: unknown) => error);
    return { result, wallMs: Date.now() - started, callLimit: lab.callLimit };
  } finally {
    await lab.close();
  }
}

describe.runIf(existsSync('/proc/self/stat') && existsSync(TASKSET))('a call on a busy machine', () => {
  test('the report says which limit applies: CPU time, with a wall-clock backstop', async () => {
    const { callLimit } = await call('spin', [1], { callTimeoutMs: 700 });
    expect(callLimit).toEqual({ measure: 'cpu-time', ms: 700, wallBackstopMs: 60_000 });
  });

  // 500 ms of computing on a fifth of a core takes about 2.5 s.
  test('500 ms of computing passes a 700 ms limit although the busy core makes it take longer than that', async () => {
    loadTheCore();
    const { result, wallMs } = await call('spin', [500], { callTimeoutMs: 700 });
    expect(result).toBe(500);
    expect(wallMs, 'the case this test is about: the call took longer than its limit').toBeGreaterThan(700);
  });

  test('computing over the limit is stopped, busy machine or not', async () => {
    loadTheCore();
    const { result } = await call('spin', [1500], { callTimeoutMs: 300 });
    expect(result).toEqual(new StudentError('timeout', 'timed out: the call ran over its 300 ms limit and was stopped'));
  });

  test('waiting counts: a promise that never settles is stopped at the limit, not at the backstop', async () => {
    const { result, wallMs } = await call('wait', [], { callTimeoutMs: 300 });
    expect(result).toEqual(new StudentError('timeout', 'timed out: the call ran over its 300 ms limit and was stopped'));
    expect(wallMs).toBeLessThan(60_000);
  });
});
