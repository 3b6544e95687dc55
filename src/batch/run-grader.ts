/**
 * A warm grader process, fenced in: it grades one submission after another (each student still in
 * a fresh sandboxed child of its own), so a class pays the grader's start-up once per worker, not
 * once per submission. Each submission has a wall-clock limit and an output cap; a worker that
 * overruns either is killed, as is one that crashes, and the next submission gets a fresh one. A
 * worker whose memory grew past its bound is retired after the submission it finished. The worker
 * runs in its own process group so that killing it also ends the sandboxed children it started.
 * Whatever the worker does, grade() resolves (never rejects) with what happened, so one submission
 * never stops a batch.
 *
 * The protocol (src/batch/worker.ts is the other end): a job is one JSON line on the worker's
 * stdin; its answer one JSON line on the worker's fourth stdio entry, apart from what grading prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface GraderLimits {
  /** Wall-clock limit for the whole grading of one submission. */
  wallMs: number;
  /** Stdout + stderr bytes the grader may write, for one submission, before it is stopped as flooding. */
  outputBytes: number;
  /** A worker whose resident memory exceeds this after a submission is replaced (default 1536 MB). */
  rssMb?: number;
}

export type GraderFault = 'grader-crash' | 'grader-timeout' | 'grader-flood';

export type GraderRun = { ok: true; output: string } | { ok: false; fault: GraderFault; reason: string; output: string };

/** What the worker answers for a job: the exit code `propgrade grade` would have given, its memory after it. */
export interface WorkerAnswer {
  code: number;
  rssMb: number;
}

const DEFAULT_RSS_MB = 1536;
/** The tail of the grader's output kept for an error message. */
const TAIL = 2_000;

/** The worker process of a pool lane: started on its first job, replaced after a failure or a leak. */
export class GraderWorker {
  private child: ChildProcess | undefined;
  private current: ((event: { answer: WorkerAnswer } | { exit: string }) => void) | undefined;
  private bytes = 0;
  private tail = '';
  /** How many worker processes this lane has started. */
  starts = 0;

  constructor(
    private readonly argv: string[],
    private readonly limits: GraderLimits,
  ) {}

  /** Grades one job (a JSON value the worker reads) and says how it went. */
  grade(job: unknown): Promise<GraderRun> {
    return new Promise((resolve) => {
      const child = this.child ?? this.start();
      this.bytes = 0;
      this.tail = '';
      let stopped: { fault: GraderFault; reason: string } | undefined;
      const stop = (fault: GraderFault, reason: string) => {
        stopped ??= { fault, reason };
        this.kill();
      };
      const timer = setTimeout(() => stop('grader-timeout', `grading took longer than ${this.limits.wallMs / 1000} s and was stopped`), this.limits.wallMs);
      this.onFlood = () => stop('grader-flood', `the grader wrote more than ${this.limits.outputBytes} bytes of output and was stopped`);
      this.current = (event) => {
        clearTimeout(timer);
        this.current = undefined;
        this.onFlood = undefined;
        if (stopped) return resolve({ ok: false, ...stopped, output: this.tail });
        if ('exit' in event) return resolve({ ok: false, fault: 'grader-crash', reason: `the grader ${event.exit}: ${lastLine(this.tail)}`, output: this.tail });
        // Memory that grew past its bound stays with the process: the next submission gets a fresh one.
        if (event.answer.rssMb > (this.limits.rssMb ?? DEFAULT_RSS_MB)) this.retire();
        if (event.answer.code === 0) resolve({ ok: true, output: this.tail });
        else resolve({ ok: false, fault: 'grader-crash', reason: `the grader exited with code ${event.answer.code}: ${lastLine(this.tail)}`, output: this.tail });
      };
      (child.stdin as Writable).write(`${JSON.stringify(job)}\n`);
    });
  }

  /** Ends the worker once it has nothing to do (the batch is over); resolves when it is gone. */
  close(): Promise<void> {
    const child = this.child;
    this.retire();
    return child && child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('close', () => resolve())) : Promise.resolve();
  }

  private onFlood: (() => void) | undefined;

  private start(): ChildProcess {
    const [command, ...args] = this.argv;
    const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: true });
    this.child = child;
    this.starts++;
    running.add(child);
    const onData = (chunk: Buffer) => {
      if (this.child !== child) return;
      this.bytes += chunk.length;
      this.tail = (this.tail + chunk.toString('utf8')).slice(-TAIL);
      if (this.bytes > this.limits.outputBytes) this.onFlood?.();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.stdin!.on('error', () => {}); // a worker that died mid-write: its exit says so
    let pending = '';
    (child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        const answer = parseAnswer(line);
        if (answer) this.current?.({ answer });
        else this.kill(); // not the protocol: a worker that says anything else is not to be trusted
      }
    });
    child.on('error', (error) => this.current?.({ exit: `could not start: ${error.message}` }));
    child.on('close', (code, signal) => {
      running.delete(child);
      // The worker is gone, but a sandbox child it left behind must not outlive it.
      killGroup(child.pid);
      if (this.child === child) this.child = undefined;
      this.current?.({ exit: signal ? `was killed by ${signal}` : `exited with code ${code}` });
    });
    return child;
  }

  /** Lets the worker finish (its stdin closes) and forgets it; it is killed if it does not. */
  private retire(): void {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.stdin!.end();
    setTimeout(() => killGroup(child.pid), RETIRE_GRACE_MS).unref();
  }

  private kill(): void {
    killGroup(this.child?.pid);
  }
}

const RETIRE_GRACE_MS = 5_000;

function parseAnswer(line: string): WorkerAnswer | undefined {
  try {
    const answer = JSON.parse(line) as WorkerAnswer;
    return Number.isInteger(answer.code) && typeof answer.rssMb === 'number' ? answer : undefined;
  } catch {
    return undefined;
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Workers still running, ended if the batch itself is interrupted. */
const running = new Set<ChildProcess>();

/** Kills every grader still running (the batch calls it when it is interrupted). */
export function killAllGraders(): void {
  for (const child of running) killGroup(child.pid);
  running.clear();
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] || '(no output)';
}
