/** `propgrade lint <submission>`: the static checks alone (src/static), before anything runs. */
import { relative } from 'node:path';
import { locateLab } from '../../grading/locate.ts';
import { loadLab } from '../../lab/load.ts';
import type { Finding } from '../../model/report.ts';
import { RULES, lintModule } from '../../static/index.ts';
import { parseCommand, UsageError } from '../args.ts';

const USAGE = 'propgrade lint <submission> [--lab DIR]';

function help(): string {
  const width = Math.max(...Object.keys(RULES).map((id) => id.length));
  const rules = Object.entries(RULES).map(([id, r]) => `  ${id.padEnd(width)}  ${r.policy}  ${r.description}`);
  return `usage: ${USAGE}

Reads <submission> (a folder holding the lab's submission file, lab.ts, or the file) without running it and prints every
finding as 'file:line:column  rule  message'. Exits 1 when a finding fails a task, else 0.
  --lab DIR  the lab whose rules apply (default: the bundled RNN lab, specs/rnn)

rules (default policy; a task's spec may turn a rule to warn):
${rules.join('\n')}`;
}

const line = (f: Finding, taskCount: number): string => {
  const only = f.tasks.length < taskCount ? ` [${f.tasks.join(', ')}]` : '';
  return `${f.file}:${f.line}:${f.column}  ${f.rule}  ${f.message}${only}`;
};

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('lint', argv, { lab: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(help());
    return 0;
  }
  const [submission, ...extra] = positionals;
  if (submission === undefined || extra.length > 0) throw new UsageError(`propgrade lint: name one submission\nusage: ${USAGE}`);
  const { tasks, submission: fileName } = await loadLab(values.lab, { hidden: false });
  const located = await locateLab(submission, fileName);
  if ('missing' in located) throw new UsageError(`propgrade lint: ${located.missing}`);
  const { file } = located;
  const findings = await lintModule(relative(process.cwd(), file) || file, tasks);
  const show = (f: Finding) => line(f, tasks.length);

  const fails = findings.filter((f) => f.policy === 'fail');
  const warns = findings.filter((f) => f.policy === 'warn');
  if (fails.length > 0) console.log(`fail (the tasks named, or every task, score 0):\n${fails.map(show).join('\n')}\n`);
  if (warns.length > 0) console.log(`warn (reported, not scored):\n${warns.map(show).join('\n')}\n`);
  const broken = tasks.filter((t) => fails.some((f) => f.tasks.includes(t.id))).map((t) => t.id);
  console.log(
    findings.length === 0
      ? `${file}: no findings`
      : `${file}: ${fails.length} fail, ${warns.length} warn; ${broken.length > 0 ? `tasks broken: ${broken.join(', ')}` : 'no task broken'}`,
  );
  return fails.length > 0 ? 1 : 0;
}
