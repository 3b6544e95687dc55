/** `propgrade lint <submission>`: the static checks alone (src/static), before anything runs. */
import { relative } from 'node:path';
import { locateLab } from '../../submission.ts';
import type { Finding } from '../../model/report.ts';
import { loadLab } from '../../lab/load.ts';
import { declaredType } from '../../spec/signature.ts';
import { RULES, lintSource } from '../../static/index.ts';
import { UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';
import { json, lab } from '../options.ts';

const rules = () => {
  const width = Math.max(...Object.keys(RULES).map((id) => id.length));
  return Object.entries(RULES).map(([id, r]) => `  ${id.padEnd(width)}  ${r.policy}  ${r.description}`).join('\n');
};

const line = (f: Finding, taskCount: number): string => {
  const only = f.tasks.length < taskCount ? ` [${f.tasks.join(', ')}]` : '';
  return `${f.file}:${f.line}:${f.column}  ${f.rule}  ${f.message}${only}`;
};

export const command = defineCommand({
  positionals: '<submission>',
  description: `Reads <submission> (a folder holding the lab's submission file, or the file) without running it
and prints every finding as 'file:line:column  rule  message'. Exits 1 when a finding fails a task, else 0.

rules (default policy; a task's spec may turn a rule to warn):
${rules()}`,
  options: { lab, json },
  async run({ values, positionals }) {
    const [submission, ...extra] = positionals;
    if (submission === undefined || extra.length > 0) throw new UsageError(`propgrade lint: name one submission\nusage: ${command.usage('lint')}`);
    const { tasks, submission: fileName } = await loadLab(values.lab, { hidden: false });
    const located = await locateLab(submission, fileName);
    if ('missing' in located) throw new UsageError(`propgrade lint: ${located.missing}`);
    const { file } = located;
    const findings = lintSource(relative(process.cwd(), file) || file, located.source.toString('utf8'), tasks.map((t) => ({ ...t, exports: t.exports.map((e) => ({ name: e.name, declared: declaredType(e) })) })));
    const fails = findings.filter((f) => f.policy === 'fail');
    const broken = tasks.filter((t) => fails.some((f) => f.tasks.includes(t.id))).map((t) => t.id);
    if (values.json) {
      console.log(JSON.stringify({ file, findings, broken }, null, 2));
      return fails.length > 0 ? 1 : 0;
    }
    const show = (f: Finding) => line(f, tasks.length);
    const warns = findings.filter((f) => f.policy === 'warn');
    if (fails.length > 0) console.log(`fail (the tasks named, or every task, score 0):\n${fails.map(show).join('\n')}\n`);
    if (warns.length > 0) console.log(`warn (reported, not scored):\n${warns.map(show).join('\n')}\n`);
    console.log(
      findings.length === 0
        ? `${file}: no findings`
        : `${file}: ${fails.length} fail, ${warns.length} warn; ${broken.length > 0 ? `tasks broken: ${broken.join(', ')}` : 'no task broken'}`,
    );
    return fails.length > 0 ? 1 : 0;
  },
});
