/**
 * Harden's pool of warm grader processes (worker.ts): `size` processes each grade mutant after
 * mutant, so that grading is spread over the cores (in one process the grader's own work would run
 * on one) and start-up is paid once per worker. A worker that dies takes only its current mutant
 * with it: that verdict is a grader fault (never a kill or a survival), and a fresh worker goes on.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Job, Verdict } from './kill.ts';
import type { Answer } from './worker.ts';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** What a worker last wrote on stderr, for the fault message when it dies. */
const TAIL = 2_000;

interface Worker {
  child: ChildProcess;
  stderr(): string;
}

function startWorker(): Promise<Worker> {
  // The worker runs from TypeScript source, as the command line does.
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let tail = '';
  child.stderr!.on('data', (chunk: Buffer) => void (tail = (tail + chunk.toString('utf8')).slice(-TAIL)));
  return new Promise((resolve, reject) => {
    const failed = (why: string) => reject(new Error(`a harden worker could not start: ${why}\n${tail}`));
    child.once('error', (error) => failed(error.message));
    child.once('exit', (code, signal) => failed(`it exited (${signal ?? `code ${code}`})`));
    child.once('message', () => {
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      resolve({ child, stderr: () => tail });
    });
  });
}

/** One job on `worker`: its verdict, or the fault that the worker died of. */
function run(worker: Worker, job: Job): Promise<{ verdict: Verdict; died: boolean }> {
  const started = performance.now();
  const fault = (why: string): Verdict => ({ killedBy: [], exampleCaught: false, graderFaults: [why], durationMs: Math.round(performance.now() - started) });
  return new Promise((resolve) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      worker.child.off('message', onMessage);
      resolve({ verdict: fault(`the harden worker died while grading (${signal ?? `exit code ${code}`}): ${worker.stderr().trim().split('\n').at(-1) ?? ''}`), died: true });
    };
    const onMessage = (answer: Answer) => {
      if (!('id' in answer) || answer.id !== job.id) return;
      worker.child.off('exit', onExit);
      worker.child.off('message', onMessage);
      resolve({ verdict: 'verdict' in answer ? answer.verdict : fault(`grading the mutant threw: ${answer.error}`), died: false });
    };
    worker.child.on('message', onMessage);
    worker.child.once('exit', onExit);
    worker.child.send(job);
  });
}

/** Grades every job on `size` warm workers; `onVerdict` hears each as it comes. */
export async function gradeInWorkers(jobs: Job[], size: number, onVerdict: (job: Job, verdict: Verdict) => void): Promise<void> {
  let next = 0;
  const loop = async () => {
    let worker = await startWorker();
    try {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const { verdict, died } = await run(worker, job);
        onVerdict(job, verdict);
        if (died) worker = await startWorker();
      }
    } finally {
      if (worker.child.connected) worker.child.disconnect();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, jobs.length)) }, loop));
}
