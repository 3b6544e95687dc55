/**
 * The sandboxed transport: the student's bundle runs in a locked-down child process (layers.ts),
 * one process reused across calls and restarted after any failure that may have left it broken.
 * Requests and responses travel framed on fd 3 (framing.ts); responses are checked on this side
 * (validate.ts). A call that runs over its wall-clock limit, a crash, an exit (whatever its code),
 * a signal or an out-of-memory fails only the request in flight; the next request gets a fresh
 * process. The student's stdout and stderr are drained as they come and capped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { deserialize } from 'node:v8';
import { bundleSubmission, type Bundle } from './build.ts';
import { CHANNEL_FD, type ChildRequest } from './child-main.ts';
import { labClient } from './client.ts';
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from './framing.ts';
import { confinement, DEFAULT_LIMITS, nodeFlags, type Limits } from './layers.ts';
import { StudentError, type LabClient, type Request, type Response, type StudentFailureKind } from './protocol.ts';
import { checkResponse } from './validate.ts';

export interface SandboxOptions {
  /** Wall-clock limit of one request, ms (default 2000). */
  callTimeoutMs?: number;
  /** Largest response accepted, bytes (default 8 MiB). */
  maxMessageBytes?: number;
  /** Student output kept, bytes (default 64 KiB); the rest is counted and dropped. */
  maxOutputBytes?: number;
  limits?: Partial<Limits>;
}

export interface SandboxedLab extends LabClient {
  /** The active defence layers (layers.ts), for the staff output. */
  readonly layers: string[];
  /** How many processes were started so far (1 + restarts). */
  readonly starts: number;
  /** What the student's code printed (stdout and stderr interleaved), capped. */
  output(): string;
}

const CLOSE_GRACE_MS = 1000;

/** Opens a student's lab (a lab.ts path, built here, or a bundle built with `entry: 'child'`) in the sandbox. */
export async function openSandboxed(lab: string | Bundle, options: SandboxOptions = {}): Promise<SandboxedLab> {
  // A bundle built here is this lab's to remove; one passed in is the caller's.
  const owned = typeof lab === 'string';
  const bundle = owned ? await bundleSubmission(lab, { entry: 'child' }) : lab;
  const timeoutMs = options.callTimeoutMs ?? 2000;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { layers, asNobody, command } = confinement();
  if (asNobody) await shareWithNobody(bundle.dir).catch(async (error: unknown) => {
    if (owned) await bundle.remove();
    throw error;
  });
  const output = new CappedOutput(options.maxOutputBytes ?? 64 * 1024);
  const { file, args } = command([...nodeFlags(bundle.dir, limits), bundle.file], limits);

  let current: Child | undefined;
  let starts = 0;
  let closed = false;
  let last: Promise<unknown> = Promise.resolve();

  const exchange = async (request: Request): Promise<Response> => {
    if (closed) throw new Error(`the sandbox of ${bundle.file} is closed`);
    if (!current?.alive) {
      current = new Child(spawn(file, args, { cwd: bundle.dir, env: {}, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] }), output, options.maxMessageBytes);
      starts++;
    }
    return current.ask(request, timeoutMs);
  };
  // One request at a time: a spec may fire calls concurrently, the child answers them in turn.
  const send = (request: Request) => {
    const response = last.then(() => exchange(request));
    last = response.catch(() => {});
    return response;
  };

  const client = labClient(send, async () => {
    await last;
    closed = true;
    await current?.close(CLOSE_GRACE_MS);
    if (owned) await bundle.remove();
  });
  return {
    ...client,
    layers,
    get starts() {
      return starts;
    },
    output: () => output.text(),
  };
}

/** One child process and the request in flight on it. */
class Child {
  alive = true;
  private pending: { id: number; settle: (response: Response) => void; timer: NodeJS.Timeout } | undefined;
  private readonly channel: Duplex;
  private readonly decoder: FrameDecoder;
  /** The end of stderr read so far (a pattern split between two chunks still shows), and whether V8 said it ran out of memory. */
  private stderrTail = '';
  private outOfMemory = false;
  private readonly closed: Promise<void>;

  constructor(
    private readonly proc: ChildProcess,
    output: CappedOutput,
    maxMessageBytes = DEFAULT_MAX_FRAME,
  ) {
    live.add(this);
    this.channel = proc.stdio[CHANNEL_FD] as Duplex;
    this.decoder = new FrameDecoder(maxMessageBytes);
    this.channel.on('data', (chunk: Buffer) => this.receive(chunk));
    // A broken pipe shows as the process's end (below), never as an error thrown in the grader.
    for (const stream of [this.channel, proc.stdout!, proc.stderr!]) stream.on('error', () => {});
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
        this.alive = false;
        live.delete(this);
        this.fail('crashed', reason);
        resolve();
      };
      proc.on('close', (code, signal) => end(`your code ended the process (${this.deathReason(code, signal)})`));
      proc.on('error', (error) => end(`the sandbox could not run: ${error.message}`));
    });
    // Idle children must not keep the grader alive; a request in flight holds it by its timer.
    proc.unref();
    for (const stream of [this.channel, proc.stdout, proc.stderr]) (stream as { unref?: () => void }).unref?.();
  }

  ask(request: ChildRequest, timeoutMs: number): Promise<Response> {
    return new Promise((settle) => {
      const timer = setTimeout(() => {
        this.fail('timeout', `timed out: the call ran over its ${timeoutMs} ms limit and was stopped`);
        this.kill();
      }, timeoutMs);
      this.pending = { id: request.id, settle, timer };
      this.channel.write(encodeFrame(request));
    });
  }

  /** Asks the child to exit (it flushes nothing it does not have to), then makes sure it did. */
  async close(graceMs: number): Promise<void> {
    if (!this.alive) return;
    this.channel.write(encodeFrame({ id: 0, kind: 'close' } satisfies ChildRequest));
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

  /** Settles the request in flight; anything refused here also retires the process, which can no longer be believed. */
  private receive(chunk: Buffer): void {
    try {
      for (const payload of this.decoder.push(chunk)) {
        if (!this.pending) throw new Error('the sandbox sent a message nobody asked for');
        this.settle(checkResponse(deserialize(payload), this.pending.id));
      }
    } catch (error) {
      if (error instanceof StudentError) this.fail(error.kind, error.message);
      else this.fail('protocol', `the sandbox broke the message protocol: ${error instanceof Error ? error.message : String(error)}`);
      this.kill();
    }
  }

  private fail(kind: StudentFailureKind, message: string): void {
    if (this.pending) this.settle({ id: this.pending.id, ok: false, failure: { kind, message } });
  }

  private settle(response: Response): void {
    const { settle, timer } = this.pending!;
    this.pending = undefined;
    clearTimeout(timer);
    settle(response);
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

/** The child may run as `nobody`: the bundle folder (made private by mkdtemp) must be readable by it. */
async function shareWithNobody(dir: string): Promise<void> {
  for (let up = dirname(dir); ; up = dirname(up)) {
    if (((await stat(up)).mode & 0o001) === 0)
      throw new Error(`the sandbox runs as nobody, who cannot reach ${dir}: ${up} is closed to others (build under a folder such as ${tmpdir()})`);
    if (up === dirname(up)) break;
  }
  await chmod(dir, 0o755);
  for (const name of await readdir(dir)) await chmod(join(dir, name), 0o644);
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
