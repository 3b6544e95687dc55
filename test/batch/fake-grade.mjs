// A stand-in for `propgrade grade <submission> --out DIR --seed N`, driven by markers in lab.ts:
//   `// score <task> <points>`  that task's score (of 2 points; every other task gets 2)
//   `// crash`, `// hang`, `// flood`, `// slow`   misbehaving graders.
// and `--broken-sandbox`: a grader whose sandbox cannot start, which says so in its reports and exits
// 3, as `propgrade grade` does (a folder with no lab.ts needs no sandbox: it is graded as usual).
// Which property fails depends on the seed, so a seed that moved with workers or shards would show.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({
  args: process.argv.slice(2),
  options: { out: { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' }, 'broken-sandbox': { type: 'boolean' } },
  allowPositionals: true,
});
const [, submission] = positionals;
const lab = existsSync(join(submission, 'lab.ts')) ? readFileSync(join(submission, 'lab.ts'), 'utf8') : undefined;
const seed = Number(values.seed ?? 0);

if (lab?.includes('// crash')) {
  console.error('fake grader: TypeError: boom');
  process.exit(3);
}
if (values['broken-sandbox'] && lab !== undefined && !lab.includes('// crash')) {
  const fault = 'could not start grading: the sandbox cannot start: node: bad option: --experimental-permission';
  const broken = { kind: 'grader-fault', message: 'The grader could not start; this is not your fault and staff have the details.' };
  const tasks = ['forward_by_hand', 'bigram', 'automatic_diff'].map((task) => ({
    task, title: `The ${task} task`, maxScore: 2, score: 0, passed: false, broken, findings: [], graderBugs: [], properties: [],
  }));
  const report = { submission, seed, seedSource: 'flag', startedAt: new Date().toISOString(), durationMs: 5, tasks, findings: [], sandboxLayers: [], studentOutput: '', graderFaults: [fault] };
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, 'results.json'), JSON.stringify({ score: 0, tests: [], extra_data: { not_graded: true } }));
  writeFileSync(join(values.out, 'report.json'), JSON.stringify(report));
  console.error(`propgrade grade: grader fault: ${fault}`);
  process.exit(3);
}
if (lab?.includes('// hang')) setInterval(() => {}, 1000);
else if (lab?.includes('// flood')) {
  const line = 'x'.repeat(1023) + '\n';
  const pump = () => process.stdout.write(line.repeat(64), pump);
  pump();
} else {
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
    tasks, findings: [], sandboxLayers: ['fake'], studentOutput: '',
  };
  mkdirSync(values.out, { recursive: true });
  const total = tasks.reduce((s, t) => s + t.score, 0);
  writeFileSync(join(values.out, 'results.json'), JSON.stringify({ score: total, tests: [] }));
  writeFileSync(join(values.out, 'report.json'), JSON.stringify(report));
  writeFileSync(join(values.out, 'report.html'), '<!doctype html><title>fake</title>');
}
