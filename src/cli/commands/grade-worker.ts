/**
 * The warm grader's side of src/batch/run-grader.ts: `propgrade grade-worker` (internal: batch
 * starts it, usage does not list it) reads jobs, one JSON line each on stdin, each the arguments of
 * a `propgrade grade` that it runs as the command line would (the same command, reports, output
 * and exit code), then answers on its fourth stdio entry with that exit code and its memory.
 * Nothing carries from one submission to the next but what is loaded once (the lab, the static
 * checker, TensorFlow.js, the oracle's verdicts on the reference); every student runs in a
 * sandboxed child of their own.
 */
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { WorkerAnswer } from '../../batch/run-grader.ts';
import { clearPhases } from '../../grading/phase.ts';

export async function run(): Promise<number> {
  const { main } = await import('../main.ts');
  const answers = createWriteStream('', { fd: 3 });
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const code = await main(['grade', ...(JSON.parse(line) as string[])]);
    clearPhases();
    const answer: WorkerAnswer = { code, rssMb: process.memoryUsage().rss / 2 ** 20 };
    answers.write(`${JSON.stringify(answer)}\n`);
  }
  return 0;
}
