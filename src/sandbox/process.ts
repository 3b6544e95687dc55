/**
 * The sandboxed transport: the student's bundle runs in a locked-down child process (layers.ts),
 * one process reused across calls and restarted after any failure that may have left it broken.
 * Requests travel framed on the child's stdin and responses on its fd 3 (framing.ts, child-main.ts); responses are checked on this side
 * (validate.ts). A call that runs over its wall-clock limit, a crash, an exit (whatever its code),
 * a signal or an out-of-memory fails only the request in flight; the next request gets a fresh
 * process. The student's stdout and stderr are drained as they come and capped.
 * The process may start before its bundle is built (a PendingBundle): it boots meanwhile, and its
 * first request is sent once the bundle is there.
 *
 * A call's limit counts the student's process computing (its CPU time, read by this side from /proc:
 * the child could lie about its own) and waiting (asleep: a promise that never settles), but not the
 * time a busy machine keeps it runnable and off the CPU: load slows a call down without costing a
 * student points. A wall-clock backstop, ten times the limit, bounds the call whatever the machine.
 * Where /proc is not there, the limit is wall-clock time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { deserialize } from 'node:v8';
import { bootOf, bundleFolder, bundleSubmission, type Bundle } from './build.ts';
import { CHANNEL_FD, type ChildRequest } from './child-main.ts';
import { labClient } from './client.ts';
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from './framing.ts';
import { checkRequired, confinement, DEFAULT_LIMITS, leafOf, shareWithNobody, type Confinement, type Limits } from './layers.ts';
import { NotRun, StudentError, type LabClient, type Request, type Response, type StudentFailureKind } from './protocol.ts';
import { checkResponse } from './validate.ts';

export interface SandboxOptions {
  /** Limit of one request, ms of the student's CPU time (default 2000; see the head of this file). */
  callTimeoutMs?: number;
  /** Wall-clock backstop of one request, ms (default 10 x callTimeoutMs). */
  wallBackstopMs?: number;
  /** Layers the sandbox must have (layers.ts): without one of them it does not start (SandboxStartError). */
  requireLayers?: readonly string[];
  /** The confinement to run in (default: this machine's, probed once per process). */
  confinement?: Confinement;
  /** Largest response accepted, bytes (default 8 MiB). */
  maxMessageBytes?: number;
  /** Student output kept, bytes (default 64 KiB); the rest is counted and dropped. */
  maxOutputBytes?: number;
  limits?: Partial<Limits>;
}

export interface SandboxedLab extends LabClient {
  /** The active defence layers (layers.ts), for the staff output. */
  readonly layers: string[];
  /** Why each stronger set of layers could not run here (layers.ts). */
  readonly refused: string[];
  /** Which limit bounds a call (the staff output says which applied). */
  readonly callLimit: CallLimit;
  /** How many processes were started so far (1 + restarts). */
  readonly starts: number;
  /** What the student's code printed (stdout and stderr interleaved), capped. */
  output(): string;
  /** Starts the process now, before any request: it boots while nothing waits for it (openAhead). */
  boot(): void;
}

/** What bounds one call: the student's CPU time (wall clock only where it cannot be read), and a wall-clock backstop. */
export interface CallLimit {
  measure: 'cpu-time' | 'wall-clock';
  ms: number;
  wallBackstopMs: number;
}

const CLOSE_GRACE_MS = 1000;

/** CPU time can be read from /proc/<pid>/stat (Linux). */
const CPU_READABLE = existsSync('/proc/self/stat');

/** A bundle still building in a folder of bundleFolder's (build.ts): the sandbox's process boots meanwhile. */
export interface PendingBundle {
  dir: string;
  built: Promise<Bundle>;
}

/**
 * Opens a student's lab in the sandbox: a lab.ts path (built here), a bundle built with `entry:
 * 'child'`, or one still building (its requests wait for it; a failed build fails them).
 */
export async function openSandboxed(lab: string | Bundle | PendingBundle, options: SandboxOptions = {}): Promise<SandboxedLab> {
  // A bundle built here is this lab's to remove; one passed in is the caller's.
  const owned = typeof lab === 'string';
  const { dir, built } = owned ? pendingOf(await bundleSubmission(lab, { entry: 'child' })) : 'built' in lab ? lab : pendingOf(lab);
  built.catch(() => {}); // a failed build is told by the requests that wait for it
  const ms = options.callTimeoutMs ?? 2000;
  const callLimit: CallLimit = { measure: CPU_READABLE ? 'cpu-time' : 'wall-clock', ms, wallBackstopMs: options.wallBackstopMs ?? 10 * ms };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  let confined: Confinement;
  try {
    confined = options.confinement ?? (await confinement());
    checkRequired(confined, options.requireLayers ?? []);
    if (confined.asNobody) await shareWithNobody(dir);
  } catch (error) {
    if (owned) await (await built).remove();
    throw error;
  }
  const { layers, refused } = confined;
  const output = new CappedOutput(options.maxOutputBytes ?? 64 * 1024);
  const { file, args, uid, gid } = confined.command(dir, bootOf(dir), limits);
  // Files the build wrote after the folder was shared: readable by nobody too, whatever the umask.
  const ready = confined.asNobody ? built.then(async (bundle) => (await shareWithNobody(dir), bundle)) : built;
  let bundle: Bundle | undefined;

  let current: Child | undefined;
  let starts = 0;
  let closed = false;
  // Requests not yet written, in the order they were asked; the child answers what it was sent in that order.
  const unsent: Pending[] = [];
  const outstanding = new Set<Promise<void>>();

  const start = () => {
    if (current?.alive) return current;
    starts++;
    const proc = spawn(file, args, { cwd: dir, env: {}, detached: true, uid, gid, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    // What a dead process was sent and never ran goes first to the next one, in its order.
    return (current = new Child(proc, output, callLimit, (orphans) => {
      for (const pending of orphans) if (pending.ahead) pending.settle(undefined);
      unsent.unshift(...orphans.filter((pending) => !pending.ahead));
      pump();
    }, options.maxMessageBytes));
  };
  let waited: Promise<void> | undefined;
  /** The build's failure, once known: every request fails with it. */
  let broken: { error: unknown } | undefined;
  /** Writes every unsent request to the live child (started if need be) once the bundle is there. */
  const pump = (): void => {
    if (unsent.length === 0) return;
    if (broken) {
      for (const pending of unsent.splice(0)) pending.fail(broken.error);
      return;
    }
    // Started before the bundle is there, it boots meanwhile; one that ended while it waited never ran the student's code: another takes its place.
    const child = start();
    if (!bundle) {
      waited ??= ready.then(
        (done) => void ((bundle = done), pump()),
        (error) => void ((broken = { error }), current?.kill(), pump()),
      );
      return;
    }
    for (const pending of unsent.splice(0)) child.send(pending);
  };
  /**
   * Requests are written as they are asked, without waiting for the answer before (the child answers
   * them in turn): the child stays busy instead of each answer waking the other process up. One
   * that the process never ran (it died first) is run by the next process, unless it was sent `ahead`:
   * then it is dropped (NotRun), so that guesses never cost a student a fresh process or a time limit.
   */
  const send = (request: Request, ahead: boolean): Promise<Response> => {
    if (closed) return Promise.reject(new Error(`the sandbox of ${dir} is closed`));
    const response = new Promise<Response>((resolve, reject) => {
      unsent.push({ request, ahead, settle: (answer) => (answer === undefined ? reject(new NotRun()) : resolve(answer)), fail: reject });
      pump();
    });
    const settled = response.then(() => {}, () => {});
    outstanding.add(settled);
    void settled.then(() => outstanding.delete(settled));
    return response;
  };

  const frames = (stack: string) => bundle?.frames(stack) ?? [];
  const close = async () => {
    while (outstanding.size > 0) await Promise.all(outstanding);
    closed = true;
    await current?.close(CLOSE_GRACE_MS);
    if (owned) await (await built).remove();
  };
  return {
    ...labClient(send, close, frames),
    layers,
    refused,
    callLimit,
    get starts() {
      return starts;
    },
    output: () => output.text(),
    boot: () => void (closed || start()),
  };
}

/**
 * A sandbox opened before its submission is known: `check --watch` opens the next save's while the
 * student edits, so that a save does not wait for the child's start. Its folder holds only the boot.
 */
export interface SandboxAhead {
  /** Its folder, holding only the boot until a grade builds there. */
  readonly dir: string;
  /** Hands it to one grade, once (undefined after): the grade builds in `dir`, and the booted sandbox waits for `built`. */
  take(): ((built: Promise<Bundle>) => SandboxedLab) | undefined;
  /** Closes the sandbox and removes its folder, unless a grade took them. */
  discard(): Promise<void>;
}

export async function openAhead(options: SandboxOptions = {}): Promise<SandboxAhead> {
  const dir = await bundleFolder();
  let settle!: (built: Promise<Bundle>) => void;
  const built = new Promise<Bundle>((resolve) => (settle = resolve));
  let lab: SandboxedLab;
  try {
    lab = await openSandboxed({ dir, built }, options);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  lab.boot();
  let taken = false;
  return {
    dir,
    take: () => {
      if (taken) return undefined;
      taken = true;
      return (bundle) => (settle(bundle), lab);
    },
    discard: async () => {
      if (taken) return;
      taken = true;
      await lab.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const pendingOf = (bundle: Bundle): PendingBundle => ({ dir: bundle.dir, built: Promise.resolve(bundle) });

/** A request asked of the sandbox: settled with its response, or with undefined when no process ran it and it was sent ahead. */
interface Pending {
  request: Request;
  /** Sent ahead of need (a guess): dropped, not run again, if its process dies before running it. */
  ahead: boolean;
  settle(response: Response | undefined): void;
  fail(error: unknown): void;
}

/**
 * One child process and the requests written to it, oldest first: the oldest is the one running,
 * and only its time is counted (from the moment the answer before it came back).
 */
class Child {
  alive = true;
  private readonly sent: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly requests: Writable;
  private readonly responses: Readable;
  private readonly decoder: FrameDecoder;
  /** The end of stderr read so far (a pattern split between two chunks still shows), and whether V8 said it ran out of memory. */
  private stderrTail = '';
  private outOfMemory = false;
  private readonly closed: Promise<void>;
  private readonly cpu: CpuClock;

  constructor(
    private readonly proc: ChildProcess,
    output: CappedOutput,
    private readonly limit: CallLimit,
    /** Takes back, in order, what was written to this process and never ran: a dead process answers nothing more. */
    private readonly orphaned: (requests: Pending[]) => void,
    maxMessageBytes = DEFAULT_MAX_FRAME,
  ) {
    live.add(this);
    this.cpu = new CpuClock(proc.pid);
    this.requests = proc.stdin!;
    this.responses = proc.stdio[CHANNEL_FD] as Readable;
    this.decoder = new FrameDecoder(maxMessageBytes);
    this.responses.on('data', (chunk: Buffer) => this.receive(chunk));
    // A broken pipe shows as the process's end (below), never as an error thrown in the grader.
    for (const stream of [this.requests, this.responses, proc.stdout!, proc.stderr!]) stream.on('error', () => {});
    proc.stdout!.on('data', (chunk: Buffer) => output.add(chunk));
    proc.stderr!.on('data', (chunk: Buffer) => {
      output.add(chunk);
      const text = this.stderrTail + chunk.toString('latin1');
      // V8's fatal error comes first and a long native stack after it: remember it, not the tail.
      this.outOfMemory ||= /out of memory|allocation failed/i.test(text);
      this.stderrTail = text.slice(-64);
    });
    this.closed = new Promise((resolve) => {
      const end = (reason: string) => {
        live.delete(this);
        this.cpu.close();
        this.fail('crashed', reason);
        resolve();
      };
      proc.on('close', (code, signal) => end(`your code ended the process (${this.deathReason(code, signal)})`));
      proc.on('error', (error) => end(`the sandbox could not run: ${error.message}`));
    });
    // Idle children must not keep the grader alive; a request in flight holds it by its timer.
    proc.unref();
    for (const stream of [this.requests, this.responses, proc.stdout, proc.stderr]) (stream as { unref?: () => void }).unref?.();
  }

  /** Writes the request at once; it runs after those written before it. */
  send(pending: Pending): void {
    this.sent.push(pending);
    if (this.sent.length === 1) this.startClock();
    this.requests.write(encodeFrame(pending.request));
  }

  /** Times the oldest request from now: its CPU time (and waiting), the wall-clock backstop. */
  private startClock(): void {
    const { limit } = this;
    const started = Date.now();
    // A fresh process has spent only its start-up: counted against its first call, a few ms.
    const cpu = limit.measure === 'cpu-time' ? this.cpu : undefined;
    let last = { wall: 0, cpu: cpu?.read()?.ms ?? 0 };
    let used = 0;
    const check = () => {
      const wall = Date.now() - started;
      const now = cpu?.read();
      // Computing counts, and so does waiting (a promise that never settles, Atomics.wait); time
      // spent runnable but kept off the CPU by a busy machine does not.
      if (now === undefined) used += wall - last.wall;
      else used += now.ms - last.cpu + (now.running ? 0 : Math.max(0, wall - last.wall - (now.ms - last.cpu)));
      last = { wall, cpu: now?.ms ?? last.cpu };
      let why: string | undefined;
      if (used >= limit.ms) why = `timed out: the call ran over its ${limit.ms} ms limit and was stopped`;
      else if (wall >= limit.wallBackstopMs) why = `timed out: the call took ${limit.wallBackstopMs} ms of wall-clock time (the backstop) and was stopped`;
      if (why === undefined) this.timer = setTimeout(check, Math.max(10, Math.min(limit.ms - used, 100, limit.wallBackstopMs - wall)));
      else this.fail('timeout', why);
    };
    this.timer = setTimeout(check, limit.ms);
  }

  /** Asks the child to exit (it flushes nothing it does not have to), then makes sure it did. */
  async close(graceMs: number): Promise<void> {
    if (!this.alive) return;
    this.requests.write(encodeFrame({ id: 0, kind: 'close' } satisfies ChildRequest));
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.closed;
    clearTimeout(timer);
  }

  kill(): void {
    this.alive = false;
    // The whole process group: the layers' wrappers and node alike (spawned detached, so it leads one).
    try {
      process.kill(-this.proc.pid!, 'SIGKILL');
    } catch {
      this.proc.kill('SIGKILL'); // already gone, or no process groups here (Windows)
    }
  }

  /** Settles the oldest request; anything refused here also retires the process, which can no longer be believed. */
  private receive(chunk: Buffer): void {
    if (!this.alive) return;
    try {
      for (const payload of this.decoder.push(chunk)) {
        const oldest = this.sent[0];
        if (!oldest) throw new Error('the sandbox sent a message nobody asked for');
        this.cpu.settle();
        const response = checkResponse(deserialize(payload), oldest.request.id);
        clearTimeout(this.timer);
        this.sent.shift();
        if (this.sent.length > 0) this.startClock();
        oldest.settle(response);
      }
    } catch (error) {
      if (error instanceof StudentError) this.fail(error.kind, error.message);
      else this.fail('protocol', `the sandbox broke the message protocol: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * The oldest request fails (it is what the process was running) and the process is done with:
   * killed, and what it was sent after that request handed back unrun.
   */
  private fail(kind: StudentFailureKind, message: string): void {
    clearTimeout(this.timer);
    const [oldest, ...rest] = this.sent.splice(0);
    if (this.alive) this.kill();
    oldest?.settle({ id: oldest.request.id, ok: false, failure: { kind, message } });
    if (rest.length > 0) this.orphaned(rest);
  }

  private deathReason(code: number | null, signal: NodeJS.Signals | null): string {
    if (this.outOfMemory) return 'out of memory';
    if (signal) return `killed by ${signal}`;
    return `exit code ${code}`;
  }
}

/** Children still running, killed if the grader exits first (they run detached, in their own group). */
const live = new Set<Child>();
process.on('exit', () => {
  for (const child of live) child.kill();
});

/**
 * The CPU time (user + system, ms) of the node process at the bottom of the layers: the spawned
 * process itself, or the one unshare forked (each wrapper execs the next, so it keeps its pid).
 * Once node has answered, its stat file is held open and re-read in place (a few µs a call).
 */
class CpuClock {
  private fd: number | undefined;

  constructor(private readonly pid: number | undefined) {}

  /** The process has answered: the tree is final, the leaf is node. */
  settle(): void {
    if (this.fd !== undefined || this.pid === undefined) return;
    try {
      this.fd = openSync(`/proc/${leafOf(this.pid)}/stat`, 'r');
    } catch {
      // Gone already: the next read finds nothing and the call falls back to the wall clock.
    }
  }

  /** ms of CPU time so far and whether it is running (or runnable) now; undefined when it cannot be read (the process is gone). */
  read(): { ms: number; running: boolean } | undefined {
    try {
      if (this.fd !== undefined) {
        const buffer = Buffer.alloc(1024);
        return cpuOf(buffer.toString('latin1', 0, readSync(this.fd, buffer, 0, buffer.length, 0)));
      }
      return this.pid === undefined ? undefined : cpuOf(readFileSync(`/proc/${leafOf(this.pid)}/stat`, 'latin1'));
    } catch {
      return undefined;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux build that matters). */
const TICKS_PER_SECOND = 100;

/** utime + stime of a /proc/<pid>/stat line in ms (fields 14 and 15), and its state (field 3); the name in parentheses may hold spaces. */
function cpuOf(stat: string): { ms: number; running: boolean } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND, running: fields[0] === 'R' };
}

/** Keeps the first `max` bytes of output and counts the rest. */
class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly max: number) {}

  add(chunk: Buffer): void {
    const room = this.max - this.kept;
    if (room > 0) {
      const part = chunk.subarray(0, room);
      this.chunks.push(part);
      this.kept += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(room, 0));
  }

  text(): string {
    const kept = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped > 0 ? `${kept}\n… ${this.dropped} more bytes of output were dropped` : kept;
  }
}
