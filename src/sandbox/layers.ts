/**
 * The operating-system layers around the sandboxed node process, probed once per grader process:
 * the strongest set that works here wins, and its names go into the staff output.
 *   as root:      unshare (no network, own pid namespace) -> prlimit -> setpriv (user nobody)
 *   without root: unshare --user (no network, own pid namespace) -> prlimit
 *   otherwise:    prlimit alone, or nothing (the node flags below still hold)
 *   and in front of any of them, where it works: no-sockets (a seccomp filter, below)
 * Node's own layers are always on: the permission model reading only the bundle folder, frozen
 * intrinsics, no code generation from strings, a heap limit, an empty environment, no
 * process.kill, and only allow-listed builtins (lockdown.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

export interface Confinement {
  /** Names of the active layers, strongest first. */
  layers: string[];
  /** True when the child runs as `nobody`: the bundle folder must be readable by it. */
  asNobody: boolean;
  /** The program and arguments that run `node <nodeArgs>` inside the layers. */
  command(nodeArgs: string[], limits: Limits): { file: string; args: string[] };
}

interface Candidate {
  layers: string[];
  asNobody: boolean;
  prefix(limits: Limits): string[];
}

const UNSHARE = '/usr/bin/unshare';
const PRLIMIT = '/usr/bin/prlimit';
const SETPRIV = '/usr/bin/setpriv';
// Node's spawn puts NODE_V8_COVERAGE back into a child's env even when given `env: {}`: the chain
// starts with `env -i`, which clears it (and anything else) for every program after it.
const EMPTY_ENV = ['/usr/bin/env', '-i'];

const prlimit = (limits: Limits, nproc: boolean) => [
  PRLIMIT,
  `--as=${limits.memoryMb * 2 ** 20}`,
  `--cpu=${limits.cpuSeconds}`,
  '--core=0',
  '--fsize=0', // no regular file can grow: a second wall against writes (pipes are not files)
  // RLIMIT_NPROC counts every process of the real user: only meaningful for `nobody`.
  ...(nproc ? ['--nproc=512'] : []),
  '--',
];

const CANDIDATES: Candidate[] = [
  {
    layers: ['net-namespace', 'pid-namespace', 'rlimits', 'user-nobody'],
    asNobody: true,
    prefix: (limits) => [
      UNSHARE, '--net', '--pid', '--fork', '--kill-child', '--',
      ...prlimit(limits, true),
      SETPRIV, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--no-new-privs', '--',
    ],
  },
  {
    layers: ['user-namespace', 'net-namespace', 'pid-namespace', 'rlimits'],
    asNobody: false,
    prefix: (limits) => [UNSHARE, '--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child', '--', ...prlimit(limits, false)],
  },
  { layers: ['rlimits'], asNobody: false, prefix: (limits) => prlimit(limits, false) },
  { layers: [], asNobody: false, prefix: () => [] },
];

/**
 * The no-sockets layer: a launcher (no-sockets.c, built by scripts/build.mjs where a C compiler is)
 * that installs a seccomp filter refusing socket(2) and socketpair(2), first in the chain so every
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
const NO_SOCKETS = fileURLToPath(new URL('../../dist/no-sockets', import.meta.url));

function refusesSockets(prefix: string[]): boolean {
  if (!existsSync(NO_SOCKETS)) return false;
  const attempt = "require('net').connect(9, '127.0.0.1').on('error', (error) => console.log(error.code))";
  const run = spawnSync(NO_SOCKETS, [...prefix, process.execPath, '-e', attempt], { env: {}, encoding: 'utf8', timeout: 5000 });
  return run.status === 0 && run.stdout.trim() === 'EACCES';
}

/** Node's own layers, always on (Node 20.20: see FIELD-NOTES, "Running untrusted code"). */
const NODE_LAYERS = ['permission-model', 'frozen-intrinsics', 'no-code-from-strings', 'heap-limit', 'empty-env', 'no-process-kill', 'builtins-allow-list'];

/** The node flags of the sandbox: read only `dir`, nothing else. */
export function nodeFlags(dir: string, limits: Limits): string[] {
  return [
    '--experimental-permission',
    `--allow-fs-read=${dir}/`,
    '--frozen-intrinsics',
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${limits.heapMb}`,
    '--disable-warning=ExperimentalWarning',
  ];
}

let probed: Confinement | undefined;

/** The strongest confinement that runs node on this machine (probed once, then cached). */
export function confinement(): Confinement {
  return (probed ??= probe());
}

function probe(): Confinement {
  const isRoot = process.getuid?.() === 0;
  const works = (candidate: Candidate) => {
    if (candidate.asNobody && !isRoot) return false;
    const [file, ...args] = [...candidate.prefix(DEFAULT_LIMITS), process.execPath, '--version'];
    const run = spawnSync(file!, args, { env: {}, encoding: 'utf8', timeout: 5000 });
    return run.status === 0 && run.stdout.trim() === process.version;
  };
  const chosen = CANDIDATES.find(works)!;
  const noSockets = refusesSockets(chosen.prefix(DEFAULT_LIMITS)) ? [NO_SOCKETS] : [];
  return {
    layers: [...chosen.layers, ...(noSockets.length > 0 ? ['no-sockets'] : []), ...NODE_LAYERS],
    asNobody: chosen.asNobody,
    command(nodeArgs, limits) {
      const [file, ...args] = [...EMPTY_ENV, ...noSockets, ...chosen.prefix(limits), process.execPath, ...nodeArgs];
      return { file: file!, args };
    },
  };
}
