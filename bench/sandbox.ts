/**
 * The sandbox's round trip, which the tasks pay once a call (one public check of the rnn lab makes
 * about 500), against what the machine itself costs:
 *   - the floor: two Node processes ping-ponging small messages over the sandbox's own socket pairs,
 *     inside the same confinement, with no protocol (this virtual machine's wake-ups and syscalls);
 *   - a trivial request (`exports`) through openSandboxed: framing, the response's checks, the call's limit;
 *   - one public check's calls of the reference (recorded from the specs), answered in process
 *     (the harness alone) and through the sandbox, a fresh child each round as each save has.
 * Medians over ROUNDS rounds: wall time a request, and CPU time a request of the grader and of the
 * child (the child's read when it exits, less a bare boot's).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLab } from '../src/lab/load.ts';
import { runTask } from '../src/spec/runner.ts';
import { bundleSubmission } from '../src/sandbox/build.ts';
import { openInProcess } from '../src/sandbox/inprocess.ts';
import { confinement, DEFAULT_LIMITS, shareWithNobody } from '../src/sandbox/layers.ts';
import { openSandboxed } from '../src/sandbox/process.ts';
import type { LabClient, Plain } from '../src/sandbox/protocol.ts';
// @ts-expect-error: a plain JavaScript module without declarations
import { childrenCpu } from './profile-hook.mjs';
import { median } from './median.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 5;
const TRIVIAL = 1000;
const SEED = 1;

const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
/** CPU ms of the children that exited, with their own children's (the layers' wrappers reap node). */
const reapedCpuMs = () => (childrenCpu() as number) * 1000;

interface Round {
  wallMs: number;
  graderMs: number;
  /** The child's CPU, boot included, read once it has exited (0 without a child). */
  childMs: number;
}

/** `work` alone, timed; with `child`, against a fresh child that `child.open` starts and `child.close` ends. */
async function round(work: () => Promise<void>, child?: { open(): Promise<unknown>; close(): Promise<void> }): Promise<Round> {
  const reaped = reapedCpuMs();
  await child?.open();
  const own = ownCpuMs();
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  const graderMs = ownCpuMs() - own;
  if (!child) return { wallMs, graderMs, childMs: 0 };
  await child.close();
  await new Promise((resolve) => setTimeout(resolve, 50)); // the wrappers reap node, then exit themselves
  return { wallMs, graderMs, childMs: reapedCpuMs() - reaped };
}

/** The floor: a child that answers each message with 300 bytes, inside the machine's confinement. */
async function pingPong(count: number): Promise<Round> {
  const dir = await mkdtemp(join(tmpdir(), 'propgrade-bench-pingpong-'));
  try {
    const script = join(dir, 'echo.mjs');
    await writeFile(script, "import { writeSync } from 'node:fs';\nconst reply = Buffer.alloc(300, 1);\nprocess.stdin.on('data', () => writeSync(3, reply));\n");
    const confined = await confinement();
    if (confined.asNobody) await shareWithNobody(dir);
    const { file, args, uid, gid } = confined.command(dir, script, DEFAULT_LIMITS);
    let child: ReturnType<typeof spawn> | undefined;
    let answers: NodeJS.ReadableStream | undefined;
    const message = Buffer.alloc(200, 2);
    const exchange = () => new Promise<void>((resolve) => (answers!.once('data', () => resolve()), child!.stdin!.write(message)));
    return await round(
      async () => {
        for (let i = 0; i < count; i++) await exchange();
      },
      {
        async open() {
          child = spawn(file, args, { cwd: dir, env: {}, uid, gid, stdio: ['pipe', 'ignore', 'ignore', 'pipe'] });
          answers = child.stdio[3] as NodeJS.ReadableStream;
          await exchange(); // booted
        },
        async close() {
          // Its stdin's end lets it exit on its own, as the sandbox's child does when the grader closes it.
          const exited = new Promise((resolve) => child!.once('close', resolve));
          child!.stdin!.end();
          await exited;
        },
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Call = { driver?: string; exportName: string; args: Plain[] };

/** `client`, keeping every call and drive the specs make. */
function recording(client: LabClient, calls: Call[]): LabClient {
  return {
    ...client,
    call: (exportName, ...args) => (calls.push({ exportName, args }), client.call(exportName, ...args)),
    drive: (driver, exportName, ...args) => (calls.push({ driver, exportName, args }), client.drive(driver, exportName, ...args)),
  };
}

const replay = async (client: LabClient, calls: Call[]) => {
  for (const { driver, exportName, args } of calls) {
    await (driver === undefined ? client.call(exportName, ...args) : client.drive(driver, exportName, ...args)).catch(() => undefined);
  }
};

export async function run(): Promise<void> {
  const lab = await loadLab(join(ROOT, 'specs/rnn'), { hidden: false });
  const reference = lab.paths.reference!;
  const driver = lab.paths.driver;
  const calls: Call[] = [];
  const inProcess = await openInProcess(reference, { driver });
  for (const spec of lab.tasks) await runTask(spec, recording(inProcess, calls), { seed: SEED, visibility: 'public', drivers: lab.drivers });

  const bundle = await bundleSubmission(reference, { entry: 'child', driver });
  try {
    const sandboxed = (work: (client: LabClient) => Promise<void>) => {
      let client: Awaited<ReturnType<typeof openSandboxed>>;
      return round(() => work(client), {
        async open() {
          client = await openSandboxed(bundle);
          await client.exports(); // booted, its module loaded
        },
        close: () => client.close(),
      });
    };
    const rounds = async (once: () => Promise<Round>) => {
      await once(); // warm: this process's JIT, the layers' probe
      const all: Round[] = [];
      for (let i = 0; i < ROUNDS; i++) all.push(await once());
      return all;
    };
    const boot = median((await rounds(() => sandboxed(async () => {}))).map((r) => r.childMs));
    const bareBoot = median((await rounds(() => pingPong(0))).map((r) => r.childMs));
    const rows: string[][] = [];
    const row = (what: string, all: Round[], count: number, childBoot: number | undefined) => {
      const each = (ms: number) => `${((ms / count) * 1000).toFixed(0)} µs`;
      rows.push([what, String(count), each(median(all.map((r) => r.wallMs))), each(median(all.map((r) => r.graderMs))), childBoot === undefined ? '' : each(Math.max(0, median(all.map((r) => r.childMs)) - childBoot))]);
    };
    row('floor: two processes, the same pipes and confinement, no protocol', await rounds(() => pingPong(TRIVIAL)), TRIVIAL, bareBoot);
    row('`exports` through the sandbox', await rounds(() => sandboxed(async (client) => {
      for (let i = 0; i < TRIVIAL; i++) await client.exports();
    })), TRIVIAL, boot);
    row("one public check's calls, in process (the harness alone)", await rounds(() => round(() => replay(inProcess, calls))), calls.length, undefined);
    row("the same calls through the sandbox (a fresh child, as each save)", await rounds(() => sandboxed((client) => replay(client, calls))), calls.length, boot);

    const header = ['what', 'requests', 'wall / request', 'grader CPU / request', 'child CPU / request'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const line of [header, ...rows]) console.log(line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
    console.log(`The child's boot (not in the figures above): ${boot} ms of CPU through openSandboxed, ${bareBoot} ms for the floor's child.`);
  } finally {
    await bundle.remove();
  }
}
