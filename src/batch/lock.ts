/**
 * One writer per output folder. `batch` and `merge` hold `DIR/.lock` while they write, so a second
 * run aimed at the same `--out` is refused instead of deleting the first one's results.
 *
 * The lock names its holder (pid, host, command) and the holder refreshes its time every few
 * seconds. It is stale, and taken over, when its process is gone (same host), when it is this
 * process's own pid but not a lock it holds (a container restarted with the same pid), or when
 * nobody refreshed it for a minute (any host: a killed container, a shared disk). The holder
 * releases it on every way out that runs code: the end of the command, a thrown error, an uncaught
 * exception, `process.exit` from a signal handler. Only SIGKILL leaves it behind, stale.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CallerError } from '../errors.ts';

interface Holder {
  pid: number;
  host: string;
  command: string;
  since: string;
  token: string;
}

export const LOCK_FILE = '.lock';
const HEARTBEAT_MS = 10_000;
/** Six missed heartbeats: no live holder is that late (its event loop only waits on graders). */
export const STALE_MS = 60_000;

/** The tokens of the locks this process holds. */
const held = new Set<string>();

/** Takes the lock of `outDir` (which must exist) for `command`; returns its release. */
export function lockOutput(outDir: string, command: string): () => void {
  const file = join(outDir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  for (let attempt = 1; ; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const other = readHolder(file);
    if (attempt > 3 || !isStale(file, other)) {
      const who = other ? `'${other.command}' (pid ${other.pid} on ${other.host}, since ${other.since})` : 'another run (its lock is being written)';
      throw new CallerError(`${command}: ${outDir} is being written by ${who}; wait for it to end, or choose another --out (${file} is its lock)`);
    }
    // Stale: remove it, unless another run took it over meanwhile.
    if (readHolder(file)?.token === other?.token) rmSync(file, { force: true });
  }

  held.add(me.token);
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(file, now, now);
    } catch {
      // Gone: release() below will find nothing to remove either.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const release = () => {
    clearInterval(heartbeat);
    process.off('exit', release);
    held.delete(me.token);
    if (readHolder(file)?.token === me.token) rmSync(file, { force: true });
  };
  process.on('exit', release);
  return release;
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return typeof holder.pid === 'number' && typeof holder.token === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

function isStale(file: string, holder: Holder | undefined): boolean {
  const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  if (age > STALE_MS) return true;
  // Unreadable: a holder between creating and writing it, or one that died there; the age decides.
  if (!holder || holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !held.has(holder.token);
  return !alive(holder.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
