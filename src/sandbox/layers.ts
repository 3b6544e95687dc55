/**
 * The operating-system layers around the sandboxed node process, probed once per grader process
 * (or remembered per machine, only when the strongest set runs: probe-memo.ts):
 * the strongest set that works here wins, and its names go into the staff output.
 *   as root:      unshare (no network, own pid namespace) -> prlimit -> setpriv (user nobody)
 *                 or, where unshare is refused: prlimit -> user nobody, or user nobody alone
 *                 (root is never the student's user)
 *   without root: unshare --user (no network, own pid namespace) -> prlimit
 *   otherwise:    prlimit alone, or nothing (the node flags below still hold)
 *   and in front of any of them: `env -i` (an empty environment), and where it works no-sockets
 *   (a seccomp filter, below)
 * Node's own layers are always on: the permission model reading only the bundle folder, frozen
 * intrinsics, no code generation from strings, a heap limit, an empty environment, no
 * process.kill, and only allow-listed builtins (lockdown.ts).
 *
 * The probe runs the exact command line the sandbox will run (layers, node, its flags, a real sandbox
 * program that answers a request over the same channel), and checks as whom it ran. A candidate that is refused (an exit code, an error message) gives way to the next one;
 * one that is only slow is tried again with a longer limit, and never silently replaced by a weaker
 * one: a machine too busy to answer is a grader fault (SandboxStartError), not a reason for fewer
 * defences.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { deserialize } from 'node:v8';
import { bootOf, bundleSubmission } from './build.ts';
import { CHANNEL_FD } from './child-main.ts';
import { encodeFrame, FrameDecoder } from './framing.ts';
import { MEMO_DIR, probeConditions, recalled, remember } from './probe-memo.ts';
import type { Request } from './protocol.ts';

export interface Limits {
  /** V8 heap (`--max-old-space-size`), MiB. */
  heapMb: number;
  /** Address space (prlimit), MiB: what bounds ArrayBuffers, which live outside the V8 heap. Node needs ~700 to start. */
  memoryMb: number;
  /** CPU seconds over the process's whole life (each restart gets a fresh budget). */
  cpuSeconds: number;
}

// V8 reserves about 1 GiB of address space up front: at 1024 MiB a long-lived child ran out of room
// after some 25,000 calls (std::bad_alloc). 2048 leaves it room and still stops ArrayBuffer bombs.
export const DEFAULT_LIMITS: Limits = { heapMb: 128, memoryMb: 2048, cpuSeconds: 60 };

/** The uid/gid the child runs as when the grader is root. */
const NOBODY = 65534;

/** The operating-system layers, strongest first; any of them may be missing on a machine. */
export const OS_LAYERS = ['user-namespace', 'net-namespace', 'pid-namespace', 'rlimits', 'user-nobody', 'no-sockets'] as const;
/** Node's own layers, always on (see FIELD-NOTES, "Running untrusted code"). */
export const NODE_LAYERS = ['permission-model', 'frozen-intrinsics', 'no-code-from-strings', 'heap-limit', 'empty-env', 'no-process-kill', 'builtins-allow-list'] as const;
export const LAYERS: readonly string[] = [...OS_LAYERS, ...NODE_LAYERS];

/** How to start the sandboxed process: a program, its arguments, and the user it runs as (root drops to nobody). */
export interface Launch {
  file: string;
  args: string[];
  uid?: number;
  gid?: number;
}

export interface Confinement {
  /** Names of the active layers, strongest first. */
  layers: string[];
  /** Why each stronger candidate did not run here (staff output: what a course could enable). */
  refused: string[];
  /** True when the child runs as `nobody`: the bundle folder must be readable by it. */
  asNobody: boolean;
  /** The launch that runs `script` (in `dir`, the only folder it may read) inside the layers. */
  command(dir: string, script: string, limits: Limits): Launch;
}

/** The sandbox cannot start here, or not with the layers required: the grader's fault, never the student's. */
export class SandboxStartError extends Error {
  override name = 'SandboxStartError';
}

/** What the probe looks at: this machine by default; tests simulate a refused flag, a missing tool, a slow machine. */
export interface Machine {
  /** The node that runs the student's code (this very node: the same binary, the same flags). */
  node: string;
  /** The options that node accepts (process.allowedNodeEnvironmentFlags of that node). */
  accepts: ReadonlySet<string>;
  tools: { unshare: string; prlimit: string; setpriv: string };
  /** The no-sockets launcher (built at install where a C compiler is). */
  noSockets: string;
  isRoot: boolean;
  /**
   * The time limit of each try, ms. A refusal is final; a try that runs out of time is repeated with
   * the next limit, and when the last one runs out the probe fails: it never falls back for slowness.
   */
  tries: number[];
}

// Node's spawn puts NODE_V8_COVERAGE back into a child's env even when given `env: {}`: the chain
// starts with `env -i`, which clears it (and anything else) for every program after it.
const EMPTY_ENV = ['/usr/bin/env', '-i'];

/**
 * The no-sockets layer: a launcher (no-sockets.c, built by scripts/build.mjs where a C compiler is)
 * that installs a seccomp filter refusing socket(2) and socketpair(2), early in the chain so every
 * program after it inherits the filter. Measured here (kernel 6.18, Node 20.20), with the permission
 * model on and `process.getBuiltinModule('net')` or process.stdout's own class:
 *   no OS layer:                 Unix socket listen in /tmp, abstract listen, connect to a host's
 *                                world-writable socket, TCP and UDP to 127.0.0.1: all worked
 *   net+pid namespace, nobody:   TCP/UDP ENETUNREACH; a Unix socket file created in /tmp (as nobody)
 *                                and the host socket reached; abstract listen worked (its own namespace)
 *   user namespace (no root):    the same as above
 *   mount namespace + chroot of the bundle (root, or a user namespace): the host's sockets out of
 *                                sight (ENOENT), but it needs unshare, a root built of bind mounts
 *                                (/usr, /lib...) and stops nothing where namespaces are refused
 *   this filter, root or not, with or without namespaces: every one of them EACCES; starting
 *                                costs nothing measurable; needs no privilege and no namespace
 * The probe runs the chosen chain behind the launcher and checks a TCP connect is refused EACCES.
 */
export const NO_SOCKETS = fileURLToPath(new URL('../../dist/no-sockets', import.meta.url));

export const THIS_MACHINE: Machine = {
  node: process.execPath,
  accepts: process.allowedNodeEnvironmentFlags,
  tools: { unshare: '/usr/bin/unshare', prlimit: '/usr/bin/prlimit', setpriv: '/usr/bin/setpriv' },
  noSockets: NO_SOCKETS,
  isRoot: process.getuid?.() === 0,
  // About 50 ms idle; a batch on a busy 2-core machine took over 5 s. Two minutes is load, not a refusal.
  tries: [15_000, 120_000],
};

/**
 * The node flags of the sandbox, as this node spells them: read only `dir`, nothing else. Node 20
 * and 22 know `--experimental-permission`, 22.13+ `--permission`, and 24+ only the latter;
 * `--disable-warning` appeared in 20.11 (before it, `--no-warnings`).
 */
export function nodeFlags(dir: string, limits: Limits, accepts: ReadonlySet<string> = THIS_MACHINE.accepts): string[] {
  const permission = ['--permission', '--experimental-permission'].find((flag) => accepts.has(flag));
  if (!permission) throw new SandboxStartError('the sandbox cannot start: this node has no permission model (neither --permission nor --experimental-permission)');
  return [
    permission,
    `--allow-fs-read=${dir}/`,
    '--frozen-intrinsics',
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${limits.heapMb}`,
    // Before 20.11 only all warnings can go: the permission model's own would reach the student's output.
    accepts.has('--disable-warning') ? '--disable-warning=ExperimentalWarning' : '--no-warnings',
  ];
}

interface Candidate {
  layers: string[];
  asNobody: boolean;
  /** The tools it runs (their paths in Machine.tools). */
  needs: Array<keyof Machine['tools']>;
  prefix(limits: Limits): string[];
  /** Dropped to by node's own spawn (no setpriv needed). */
  uid?: number;
}

function candidates({ tools, isRoot }: Machine): Candidate[] {
  const prlimit = (limits: Limits, nproc: boolean) => [
    tools.prlimit,
    `--as=${limits.memoryMb * 2 ** 20}`,
    `--cpu=${limits.cpuSeconds}`,
    '--core=0',
    '--fsize=0', // no regular file can grow: a second wall against writes (pipes are not files)
    // RLIMIT_NPROC counts every process of the real user: only meaningful for `nobody`.
    ...(nproc ? ['--nproc=512'] : []),
    '--',
  ];
  const unshare = (...extra: string[]) => [tools.unshare, ...extra, '--net', '--pid', '--fork', '--kill-child', '--'];
  if (isRoot)
    return [
      {
        layers: ['net-namespace', 'pid-namespace', 'rlimits', 'user-nobody'],
        asNobody: true,
        needs: ['unshare', 'prlimit', 'setpriv'],
        prefix: (limits) => [...unshare(), ...prlimit(limits, true), tools.setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--no-new-privs', '--'],
      },
      // Where unshare is refused (a container without CAP_SYS_ADMIN): still never as root.
      { layers: ['rlimits', 'user-nobody'], asNobody: true, needs: ['prlimit'], prefix: (limits) => prlimit(limits, true), uid: NOBODY },
      { layers: ['user-nobody'], asNobody: true, needs: [], prefix: () => [], uid: NOBODY },
    ];
  return [
    {
      layers: ['user-namespace', 'net-namespace', 'pid-namespace', 'rlimits'],
      asNobody: false,
      needs: ['unshare', 'prlimit'],
      prefix: (limits) => [...unshare('--user', '--map-root-user'), ...prlimit(limits, false)],
    },
    { layers: ['rlimits'], asNobody: false, needs: ['prlimit'], prefix: (limits) => prlimit(limits, false) },
    { layers: [], asNobody: false, needs: [], prefix: () => [] },
  ];
}

const launchOf = (machine: Machine, candidate: Candidate, dir: string, script: string, limits: Limits, front: string[]): Launch => {
  const [file, ...args] = [...EMPTY_ENV, ...front, ...candidate.prefix(limits), machine.node, ...nodeFlags(dir, limits, machine.accepts), script];
  return { file: file!, args, ...(candidate.uid === undefined ? {} : { uid: candidate.uid, gid: candidate.uid }) };
};

let probed: Promise<Confinement> | undefined;

/**
 * The strongest confinement that runs the sandbox on this machine: probed once per process (a
 * failed probe is tried again next time), and not at all where a probe under the same conditions
 * found the strongest one already (probe-memo.ts).
 */
export function confinement(): Promise<Confinement> {
  probed ??= rememberedConfinement(THIS_MACHINE).catch((error: unknown) => {
    probed = undefined;
    throw error;
  });
  return probed;
}

/** `machine`'s confinement, from the memo in `memoDir` where it holds the strongest one; else probed, and remembered when it is the strongest. */
export async function rememberedConfinement(machine: Machine, memoDir: string = MEMO_DIR): Promise<Confinement> {
  const conditions = probeConditions([machine.node, ...Object.values(machine.tools), machine.noSockets], { isRoot: machine.isRoot, limits: DEFAULT_LIMITS });
  if (recalled(conditions, memoDir)) return confined(machine, candidates(machine)[0]!, true, []);
  const found = await probeConfinement(machine);
  if (found.refused.length === 0) remember(conditions, memoDir); // nothing refused: the strongest candidate ran, no-sockets in front
  return found;
}

const confined = (machine: Machine, candidate: Candidate, socketsRefused: boolean, refused: string[]): Confinement => {
  const front = socketsRefused ? [machine.noSockets] : [];
  return {
    layers: [...candidate.layers, ...(socketsRefused ? ['no-sockets'] : []), ...NODE_LAYERS],
    refused,
    asNobody: candidate.asNobody,
    command: (bundleDir, bundleScript, limits) => launchOf(machine, candidate, bundleDir, bundleScript, limits, front),
  };
};

/** Probes `machine`'s candidates, strongest first (see the head of this file). */
export async function probeConfinement(machine: Machine): Promise<Confinement> {
  // A real sandbox program (the boot, the harness, the engine) around a module of one export.
  const dir = await mkdtemp(join(tmpdir(), 'propgrade-probe-'));
  const lab = join(dir, 'probe.ts');
  await writeFile(lab, 'export const probe = 1;\n');
  const bundle = await bundleSubmission(lab, { entry: 'child' }).finally(() => rm(dir, { recursive: true, force: true }));
  try {
    if (machine.isRoot) await shareWithNobody(bundle.dir);
    const refused: string[] = [];
    for (const candidate of candidates(machine)) {
      const name = candidate.layers.join(' + ') || 'no operating-system layer';
      const missing = candidate.needs.filter((tool) => !existsSync(machine.tools[tool]));
      if (missing.length > 0) {
        refused.push(`${name}: ${missing.map((tool) => machine.tools[tool]).join(', ')} not on this machine`);
        continue;
      }
      const launch = launchOf(machine, candidate, bundle.dir, bootOf(bundle.dir), DEFAULT_LIMITS, []);
      const why = await refusal(machine, launch, candidate.asNobody ? NOBODY : process.getuid?.(), name);
      if (why !== undefined) {
        refused.push(`${name}: ${why}`);
        continue;
      }
      const socketsRefused = await refusesSockets(machine, candidate);
      if (socketsRefused !== true) refused.push(`no-sockets: ${socketsRefused}`);
      return confined(machine, candidate, socketsRefused === true, refused);
    }
    throw new SandboxStartError(`the sandbox cannot start: no confinement runs node here (${refused.join('; ')})`);
  } finally {
    await bundle.remove();
  }
}

/**
 * True when the no-sockets launcher, in front of `candidate`'s chain, makes a TCP connect fail with
 * EACCES; else why not. Slowness is not a refusal here either: it is retried, then a grader fault.
 */
async function refusesSockets(machine: Machine, candidate: Candidate): Promise<true | string> {
  if (!existsSync(machine.noSockets)) return `${machine.noSockets} not built (no C compiler when the project was installed?)`;
  const attempt = "require('net').connect(9, '127.0.0.1').on('error', (error) => console.log(error.code))";
  const args = [...EMPTY_ENV.slice(1), machine.noSockets, ...candidate.prefix(DEFAULT_LIMITS), machine.node, '-e', attempt];
  for (const timeoutMs of machine.tries) {
    const run = await runWithin(EMPTY_ENV[0]!, args, timeoutMs, { uid: candidate.uid, stdio: ['ignore', 'pipe', 'pipe'] });
    if (run.timedOut) continue;
    return run.code === 0 && run.stdout.trim() === 'EACCES' ? true : `a TCP connect behind it gave ${JSON.stringify(run.stdout.trim() || run.stderr.trim().split('\n')[0])}`;
  }
  throw new SandboxStartError(`the sandbox cannot start: its no-sockets probe did not answer within ${machine.tries.map((ms) => `${ms / 1000} s`).join(', then ')}; a weaker confinement is never chosen for slowness`);
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed at the time limit. */
  timedOut: boolean;
}

/**
 * Runs a program to its end with an empty environment and a time limit, in a process group of its
 * own (killed whole at the limit); its output kept to 4 KiB. `talk` speaks to it once it runs.
 */
function runWithin(
  file: string,
  args: string[],
  timeoutMs: number,
  options: { uid?: number; stdio: StdioOptions },
  talk: (child: ChildProcess) => void = () => {},
): Promise<Ran> {
  return new Promise((resolve) => {
    const ids = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
    const child = spawn(file, args, { env: {}, detached: true, stdio: options.stdio, ...ids });
    const kept = { stdout: '', stderr: '' };
    for (const name of ['stdout', 'stderr'] as const) {
      child[name]?.on('error', () => {});
      child[name]?.on('data', (chunk: Buffer) => (kept[name] = (kept[name] + chunk.toString('utf8')).slice(0, 4096)));
    }
    child.stdin?.on('error', () => {});
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout: kept.stdout, stderr: `${error.message}\n${kept.stderr}`, timedOut: false });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...kept, timedOut });
    });
    talk(child);
  });
}

/** Why `launch` is refused here, or undefined when it answers as it should; throws when it is only too slow to tell. */
async function refusal(machine: Machine, launch: Launch, uid: number | undefined, name: string): Promise<string | undefined> {
  for (const timeoutMs of machine.tries) {
    const run = await exchange(launch, timeoutMs);
    if (run === 'timeout') continue;
    if (run.answered && (uid === undefined || run.uid === undefined || run.uid === uid)) return undefined;
    if (run.answered) return `the program ran as uid ${run.uid}, not ${uid}`;
    // Node's own words: a refused option, a refused API (the first line that says so), else the first line.
    const lines = run.stderr.split('\n').map((line) => line.trim()).filter(Boolean);
    const said = lines.find((line) => /bad option|error|denied|not permitted|restricted/i.test(line)) ?? lines[0];
    return `${run.code === null ? `killed by ${run.signal}` : `exit code ${run.code}`}${said ? `: ${said}` : ''}`;
  }
  throw new SandboxStartError(
    `the sandbox cannot start: its probe (${name}) did not answer within ${machine.tries.map((ms) => `${ms / 1000} s`).join(', then ')} (a busy machine, or a layer that hangs); a weaker confinement is never chosen for slowness`,
  );
}

type Exchange = { answered: boolean; uid?: number; code: number | null; signal: NodeJS.Signals | null; stderr: string };

/** Starts the program, asks it for its exports as the grader would, notes as whom it runs, and lets it end. */
async function exchange(launch: Launch, timeoutMs: number): Promise<Exchange | 'timeout'> {
  let answered = false;
  let uid: number | undefined;
  const run = await runWithin(launch.file, launch.args, timeoutMs, { uid: launch.uid, stdio: ['pipe', 'ignore', 'pipe', 'pipe'] }, (child) => {
    const responses = child.stdio[CHANNEL_FD] as Readable;
    const decoder = new FrameDecoder();
    responses.on('error', () => {});
    responses.on('data', (chunk: Buffer) => {
      try {
        for (const payload of decoder.push(chunk)) {
          const response = deserialize(payload) as { id?: unknown; ok?: unknown; value?: unknown };
          answered ||= response.id === 1 && response.ok === true && JSON.stringify(response.value) === JSON.stringify({ probe: 'number' });
          uid = uidOf(child.pid!);
          child.stdin!.end(); // the child's cue to exit
        }
      } catch {
        child.stdin!.end();
      }
    });
    child.stdin!.write(encodeFrame({ id: 1, kind: 'exports' } satisfies Request));
  });
  return run.timedOut && !answered ? 'timeout' : { answered, uid, code: run.code, signal: run.signal, stderr: run.stderr };
}

/** The real uid of the node process at the bottom of `pid`'s layers, from /proc. */
function uidOf(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${leafOf(pid)}/status`, 'latin1').split('\n').find((l) => l.startsWith('Uid:'));
    return line === undefined ? undefined : Number(line.split(/\s+/)[1]);
  } catch {
    return undefined; // no /proc here: the answer alone must do
  }
}

/** The last descendant of `pid`: the node process under the layers (unshare --fork has one child; every other wrapper execs, keeping its pid). */
export function leafOf(pid: number): number {
  for (;;) {
    let children: string;
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim();
    } catch {
      return pid;
    }
    if (children === '') return pid;
    pid = Number(children.split(' ')[0]);
  }
}

/**
 * Grading refuses to run below `required` (--require-layers, the config's requireLayers): a layer
 * this machine could not provide is a SandboxStartError that says why it is missing.
 */
export function checkRequired(active: Pick<Confinement, 'layers' | 'refused'>, required: readonly string[]): void {
  const missing = required.filter((layer) => !active.layers.includes(layer));
  if (missing.length === 0) return;
  const why = active.refused.length > 0 ? ` (${active.refused.join('; ')})` : '';
  throw new SandboxStartError(`the sandbox cannot start: the layer(s) ${missing.join(', ')} are required, and this machine runs only ${active.layers.join(', ')}${why}`);
}

/** Layer names as given (--require-layers a,b or the config): unknown names are the caller's mistake, said with the known ones. */
export function unknownLayers(names: readonly string[]): string[] {
  return names.filter((name) => !LAYERS.includes(name));
}

/** The child may run as `nobody`: the folder (made private by mkdtemp) must be readable by it. */
export async function shareWithNobody(dir: string): Promise<void> {
  for (let up = dirname(dir); ; up = dirname(up)) {
    if (((await stat(up)).mode & 0o001) === 0)
      throw new SandboxStartError(`the sandbox runs as nobody, who cannot reach ${dir}: ${up} is closed to others (build under a folder such as ${tmpdir()})`);
    if (up === dirname(up)) break;
  }
  await chmod(dir, 0o755);
  for (const name of await readdir(dir)) await chmod(join(dir, name), 0o644);
}
