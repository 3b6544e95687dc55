/**
 * The layers probe remembered per machine: a fresh grader process skips its probes (two node
 * starts and a build, about 0.3 s of CPU) when a probe under the same conditions already found
 * everything. Only that outcome is remembered, never a weaker one: a refusal may be passing (a
 * fork refused under load), and a fallback kept for it would leave every later run less confined.
 * The conditions are what decides whether a layer can run: this boot, this process's namespaces,
 * capabilities and seccomp mode, the user, the namespace sysctls, the node binary and the layer
 * tools (by inode, size and time), and the prober's own code. Any change is a miss, which probes.
 * The file is trusted only when it is a regular file of this user's, in a folder of this user's,
 * neither writable by others (the sandboxed child cannot write at all: --fsize=0, the permission model).
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the memo lives: `$XDG_CACHE_HOME/propgrade`, else `~/.cache/propgrade`. */
export const MEMO_DIR = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'propgrade');
const MEMO_FILE = 'layers-probe';

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'latin1').trim();
  } catch {
    return null;
  }
};

const identity = (path: string): string | null => {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.mode}:${s.uid}`;
  } catch {
    return null;
  }
};

const NAMESPACES = ['user', 'mnt', 'pid', 'net', 'uts', 'ipc', 'cgroup'];
const SYSCTLS = ['/proc/sys/user/max_user_namespaces', '/proc/sys/kernel/unprivileged_userns_clone', '/proc/sys/kernel/apparmor_restrict_unprivileged_userns'];

/** The conditions of a probe of these `programs` (node, the tools, the no-sockets launcher), as one hash. */
export function probeConditions(programs: readonly string[], extra: unknown): string {
  const status = (read('/proc/self/status') ?? '').split('\n').filter((line) => /^(Cap(Eff|Prm|Bnd)|Seccomp|NoNewPrivs):/.test(line));
  const facts = {
    boot: read('/proc/sys/kernel/random/boot_id'),
    kernel: release(),
    user: [process.getuid?.(), process.getgid?.()],
    namespaces: NAMESPACES.map((ns) => {
      try {
        return readlinkSync(`/proc/self/ns/${ns}`);
      } catch {
        return null;
      }
    }),
    status,
    sysctls: SYSCTLS.map(read),
    node: process.version,
    programs: programs.map((path) => [path, identity(path)]),
    prober: identity(fileURLToPath(import.meta.url)),
    extra,
  };
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex');
}

/** Ours alone: this user's, and no one else may write it. */
function ours(path: string, kind: 'file' | 'dir'): boolean {
  try {
    const s = lstatSync(path);
    const right = kind === 'file' ? s.isFile() : s.isDirectory();
    return right && s.uid === process.getuid?.() && (s.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** True when a probe under `conditions` found the strongest confinement (remembered by `remember`). */
export function recalled(conditions: string, dir: string = MEMO_DIR): boolean {
  const file = join(dir, MEMO_FILE);
  return ours(dir, 'dir') && ours(file, 'file') && read(file) === conditions;
}

/** Remembers that a probe under `conditions` found the strongest confinement; a memo that cannot be written is only a slower next start. */
export function remember(conditions: string, dir: string = MEMO_DIR): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ours(dir, 'dir')) return;
    const temporary = join(dir, `${MEMO_FILE}.${process.pid}`);
    writeFileSync(temporary, `${conditions}\n`, { mode: 0o600 });
    renameSync(temporary, join(dir, MEMO_FILE));
  } catch {
    // read-only home, full disk: the next process probes again
  }
}
