/**
 * One grader process, fenced in: a wall-clock limit and an output cap. The grader runs in its own
 * process group so that killing it also ends the sandboxed children it started. Whatever it does,
 * this resolves (never rejects) with what happened, so one submission never stops a batch.
 */
import { spawn } from 'node:child_process';

export interface GraderLimits {
  /** Wall-clock limit for the whole grading of one submission. */
  wallMs: number;
  /** Stdout + stderr bytes the grader may write before it is stopped as flooding. */
  outputBytes: number;
}

export type GraderFault = 'grader-crash' | 'grader-timeout' | 'grader-flood';

export type GraderRun = { ok: true; output: string } | { ok: false; fault: GraderFault; reason: string; output: string };

/** The tail of the grader's output kept for an error message. */
const TAIL = 2_000;

export function runGrader(argv: string[], limits: GraderLimits): Promise<GraderRun> {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let bytes = 0;
    let tail = '';
    let stopped: { fault: GraderFault; reason: string } | undefined;

    const stop = (fault: GraderFault, reason: string) => {
      if (stopped) return;
      stopped = { fault, reason };
      killGroup(child.pid);
    };
    const timer = setTimeout(() => stop('grader-timeout', `grading took longer than ${limits.wallMs / 1000} s and was stopped`), limits.wallMs);
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      tail = (tail + chunk.toString('utf8')).slice(-TAIL);
      if (bytes > limits.outputBytes) stop('grader-flood', `the grader wrote more than ${limits.outputBytes} bytes of output and was stopped`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    running.add(child.pid);

    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, fault: 'grader-crash', reason: `the grader could not start: ${error.message}`, output: tail });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      // The grader is gone, but a sandbox child it left behind must not outlive it.
      killGroup(child.pid);
      if (stopped) resolve({ ok: false, ...stopped, output: tail });
      else if (code === 0) resolve({ ok: true, output: tail });
      else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        resolve({ ok: false, fault: 'grader-crash', reason: `the grader ${how}: ${lastLine(tail)}`, output: tail });
      }
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Process groups still running, ended if the batch itself is interrupted. */
const running = new Set<number | undefined>();

/** Kills every grader still running (the batch calls it when it is interrupted). */
export function killAllGraders(): void {
  for (const pid of running) killGroup(pid);
  running.clear();
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] || '(no output)';
}
