// A stand-in for the warm grader `propgrade grade-worker`: reads jobs (the arguments of a
// `propgrade grade <submission> --out DIR --seed N`, one JSON line each) on stdin and answers each on
// fd 3, as src/cli/commands/grade-worker.ts does, driven by markers in lab.ts:
//   `// score <task> <points>`  that task's score (of 2 points; every other task gets 2)
//   `// crash`, `// hang`, `// flood`, `// slow`   misbehaving graders (a crash ends the worker);
//   `// crash-once`  crashes on the first try only; `// leak`  says its memory grew past any bound.
// and `--broken-sandbox`: a grader whose sandbox cannot start, which says so in its reports and exits
// 3, as `propgrade grade` does (a folder with no lab.ts needs no sandbox: it is graded as usual).
// Which property fails depends on the seed, so a seed that moved with workers or shards would show.
// Each report.json names the worker's pid and each submission folder counts its tries in .tries.
import { appendFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const broken = process.argv.includes('--broken-sandbox');
const answers = createWriteStream('', { fd: 3 });
for await (const line of createInterface({ input: process.stdin })) {
  const { positionals, values } = parseArgs({
    args: JSON.parse(line),
    options: { out: { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' }, lab: { type: 'string' } },
    allowPositionals: true,
  });
  const answer = await grade(positionals[0], values);
  if (answer !== undefined) answers.write(`${JSON.stringify(answer)}\n`);
}

/** Grades one job; undefined: never answers (hang, flood). */
async function grade(submission, values) {
  const lab = existsSync(join(submission, 'lab.ts')) ? readFileSync(join(submission, 'lab.ts'), 'utf8') : undefined;
  const seed = Number(values.seed ?? 0);
  if (lab !== undefined) appendFileSync(join(submission, '.tries'), 'x');
  const tries = lab === undefined ? 1 : readFileSync(join(submission, '.tries'), 'utf8').length;
  if (lab?.includes('// crash-once') && tries === 1) {
    console.error('fake grader: TypeError: boom (once)');
    process.exit(3);
  }
  if (lab?.includes('// crash\n') || lab?.endsWith('// crash')) {
    console.error('fake grader: TypeError: boom');
    process.exit(3);
  }
  if (broken && lab !== undefined) {
    const fault = 'could not start grading: the sandbox cannot start: node: bad option: --experimental-permission';
    const brokenTask = { kind: 'grader-fault', message: 'The grader could not start; this is not your fault and staff have the details.' };
    const tasks = ['forward_by_hand', 'bigram', 'automatic_diff'].map((task) => ({
      task, title: `The ${task} task`, maxScore: 2, score: 0, passed: false, broken: brokenTask, findings: [], graderBugs: [], properties: [],
    }));
    const report = { submission, seed, seedSource: 'flag', startedAt: new Date().toISOString(), durationMs: 5, tasks, findings: [], sandboxLayers: [], studentOutput: '', graderFaults: [fault] };
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'results.json'), JSON.stringify({ score: 0, tests: [], extra_data: { not_graded: true } }));
    writeFileSync(join(values.out, 'report.json'), JSON.stringify(report));
    console.error(`propgrade grade: grader fault: ${fault}`);
    return { code: 3, rssMb: 50 };
  }
  if (lab?.includes('// hang')) return new Promise(() => setInterval(() => {}, 1000));
  if (lab?.includes('// flood')) {
    const line = 'x'.repeat(1023) + '\n';
    const pump = () => process.stdout.write(line.repeat(64), pump);
    pump();
    return new Promise(() => {});
  }
  {
    if (lab?.includes('// slow')) await new Promise((r) => setTimeout(r, 1500));
    const scores = Object.fromEntries([...(lab ?? '').matchAll(/\/\/ score (\w+) (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    const tasks = ['forward_by_hand', 'bigram', 'automatic_diff'].map((task) => {
      if (lab === undefined) {
        const broken = { kind: 'build', message: 'There is no lab.ts in the submission.' };
        return { task, title: `The ${task} task`, maxScore: 2, score: 0, passed: false, broken, findings: [], graderBugs: [], properties: [] };
      }
      const score = scores[task] ?? 2;
      const failing = `${task.split('_')[0]}-case-${seed % 3}`;
      return {
        task,
        title: `The ${task} task`,
        maxScore: 2,
        score,
        passed: score === 2,
        findings: [],
        graderBugs: [],
        properties: [
          { task, property: 'example', title: 'the notebook example', visibility: 'public', passed: true, maxScore: 1, score: 1, runs: 1, message: 'ok', durationMs: 1 },
          {
            task, property: failing, title: 'random cases', visibility: 'hidden', passed: score === 2, maxScore: 1, score: score - 1, runs: 5,
            message: score === 2 ? 'ok' : 'differs from the expected value',
            ...(score === 2 ? {} : { staff: { seed, counterexample: { x: { shape: [2], data: [1, -0.5] } } } }),
            durationMs: 2,
          },
        ],
      };
    });
    const report = {
      submission, seed, seedSource: 'flag', startedAt: new Date().toISOString(), durationMs: 5,
      tasks, findings: [], sandboxLayers: ['fake'], studentOutput: '', workerPid: process.pid,
    };
    mkdirSync(values.out, { recursive: true });
    const total = tasks.reduce((s, t) => s + t.score, 0);
    writeFileSync(join(values.out, 'results.json'), JSON.stringify({ score: total, tests: [] }));
    writeFileSync(join(values.out, 'report.json'), JSON.stringify(report));
    writeFileSync(join(values.out, 'report.html'), '<!doctype html><title>fake</title>');
  }
  return { code: 0, rssMb: lab?.includes('// leak') ? 1e6 : 50 };
}
