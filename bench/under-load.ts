/**
 * Fair under load: every submission of the bundled corpora graded in the sandbox twice, on an idle
 * machine and beside two busy-loop processes, at the same seed; the outcomes (each task's score and
 * why it broke) must be equal. A call's limit counts the student's CPU time and waiting, not the
 * time a busy machine keeps it off the CPU (src/sandbox/process.ts). Sets the exit code to 1 on
 * any difference.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradeSubmission } from '../src/grading/grade.ts';
import { loadLab } from '../src/lab/load.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LABS = ['specs/rnn', 'specs/attention'];
const SEED = 7;
/** Cases per property: enough for every planted bug to show, few enough for a few minutes in all. */
const RUNS = 5;

type Outcomes = Map<string, string>;

async function gradeAll(): Promise<Outcomes> {
  const outcomes: Outcomes = new Map();
  for (const dir of LABS) {
    const lab = await loadLab(join(ROOT, dir), { hidden: true });
    const corpus = join(lab.dir, 'corpus');
    for (const name of readdirSync(corpus, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
      const report = await gradeSubmission(join(corpus, name), { lab, seed: SEED, runs: RUNS });
      const tasks = report.tasks.map((t) => `${t.task} ${t.score}/${t.maxScore}${t.broken ? ` ${t.broken.kind}` : ''}`);
      outcomes.set(`${lab.id}/${name}`, [...tasks, ...(report.graderFaults ?? []).map(() => 'grader-fault')].join(', '));
    }
  }
  return outcomes;
}

export async function run(): Promise<void> {
  const started = performance.now();
  const idle = await gradeAll();
  const idleS = (performance.now() - started) / 1000;
  // Busy loops that end with the bench, however it ends (killed, they would be orphans: their parent changes).
  const busy = 'const parent = process.ppid; for (;;) { for (let i = 0; i < 1e7; i++); if (process.ppid !== parent) process.exit(); }';
  const hogs: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ['-e', busy], { stdio: 'ignore' }));
  let loaded: Outcomes;
  const loadedStart = performance.now();
  try {
    loaded = await gradeAll();
  } finally {
    for (const hog of hogs) hog.kill('SIGKILL');
  }
  const loadedS = (performance.now() - loadedStart) / 1000;
  const differ = [...idle].filter(([name, outcome]) => loaded.get(name) !== outcome);
  console.log(`corpus submissions graded (seed ${SEED}, ${RUNS} runs): ${idle.size}`);
  console.log(`idle: ${idleS.toFixed(1)} s; beside two busy loops: ${loadedS.toFixed(1)} s (x${(loadedS / idleS).toFixed(2)})`);
  console.log(`outcomes equal: ${differ.length === 0 ? 'yes, every one' : `NO, ${differ.length} differ`}`);
  for (const [name, outcome] of differ) console.log(`  ${name}\n    idle:   ${outcome}\n    loaded: ${loaded.get(name)}`);
  if (differ.length > 0) process.exitCode = 1;
}
