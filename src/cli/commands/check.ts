/**
 * `propgrade check [<submission>] [--task ID] [--property P] [--seed N] [--path P] [--runs N] [--hidden]`:
 * a student's local fuzz check on the public properties (all of them with --hidden), through the same
 * sandbox and specs as grading. Static findings first, then one line per property as it ends, then
 * each failure's shrunk counterexample and the exact command that replays it. Exit 1 when anything
 * fails, 0 when all passes.
 */
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { gradeSubmission, labOf, SelectionError, selectTasks, type GradeEvent, type GradeOptions } from '../../grading/grade.ts';
import type { PropertyOutcome } from '../../model/report.ts';
import { oneLine } from '../../model/text.ts';
import { caseDetails, describeFinding, hiddenCaseDetails } from '../../reports/explain.ts';
import { parseCommand, runsOption, seedOption, UsageError } from '../args.ts';

const USAGE = 'propgrade check [<submission>] [--lab DIR] [--task ID] [--property P] [--seed N] [--path P] [--runs N] [--hidden]';

const HELP = `usage: ${USAGE}

Fuzzes your lab.ts (default: lab.ts in this folder, else lab/) against the public properties of
every task, or of --task.
A failure prints the smallest failing case found and the command that replays it exactly:
  --lab DIR    the lab (default: the bundled RNN lab, specs/rnn)
  --seed N     the run's seed (default: a fresh one each run, printed)
  --property P one property of --task
  --path P     with --task, --property and --seed: replay that one case
  --runs N     cases per generated property (default: each property's own)
  --hidden     staff: the hidden properties too`;

const indent = (text: string) => `    ${text.replace(/\n/g, '\n    ')}`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    'check',
    argv,
    {
      lab: { type: 'string' },
      task: { type: 'string' },
      property: { type: 'string' },
      seed: { type: 'string' },
      path: { type: 'string' },
      runs: { type: 'string' },
      hidden: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`propgrade check takes at most one submission, got ${positionals.length}\nusage: ${USAGE}`);
  const only = selection(values);
  const seed = seedOption(values.seed) ?? randomInt(2 ** 31);

  const visibility = values.hidden ? 'all' : 'public';
  const lab = await labOf({ lab: values.lab, visibility });
  const submission = positionals[0] ?? (existsSync(lab.submission) ? lab.submission : 'lab/');
  checkSelection(lab, only, visibility);

  console.log(`propgrade check ${oneLine(submission)} (seed ${seed}, ${visibility} properties)`);
  const report = await gradeSubmission(submission, { lab, seed, runs: runsOption(values.runs), visibility, only, crossCheck: false, onProgress: progress });

  const failed = report.tasks.flatMap((t) => t.properties.filter((p) => !p.passed));
  for (const task of report.tasks.filter((t) => t.broken)) console.log(`\n✗ ${task.task}: ${task.broken!.message}`);
  const breaks = new Set(report.tasks.map((t) => t.broken?.message));
  for (const p of failed.filter((p) => p.runs > 0)) console.log(`\n${failureText(p, breaks.has(p.message))}`);
  const passed = report.tasks.reduce((n, t) => n + t.properties.filter((p) => p.passed).length, 0);
  console.log(`\n${passed} passed, ${failed.length} failed in ${(report.durationMs / 1000).toFixed(1)} s (seed ${seed})`);
  return failed.length > 0 ? 1 : 0;
}

function selection(values: { task?: string; property?: string; path?: string; seed?: string }) {
  if (values.task === undefined) {
    if (values.property !== undefined || values.path !== undefined) throw new UsageError('propgrade check: --property and --path need --task');
    return undefined;
  }
  if (values.path !== undefined && (values.property === undefined || values.seed === undefined)) {
    throw new UsageError('propgrade check: --path replays one case: it needs --property and --seed too');
  }
  return { task: values.task, property: values.property, path: values.path };
}

/** An unknown task or property is a usage error, told before any output. */
function checkSelection(lab: Awaited<ReturnType<typeof labOf>>, only: GradeOptions['only'], visibility: GradeOptions['visibility']): void {
  try {
    selectTasks(lab, { only, visibility });
  } catch (error) {
    throw error instanceof SelectionError ? new UsageError(error.message) : error;
  }
}

function progress(event: GradeEvent): void {
  if (event.kind === 'findings') {
    if (event.findings.length > 0) console.log(['Static checks:', ...event.findings.map((f) => `  ${oneLine(describeFinding(f))}`)].join('\n'));
  } else if (event.kind === 'property-end') {
    const p = event.outcome;
    const cases = p.runs === 1 ? '1 case' : `${p.runs} cases`;
    console.log(`  ${p.passed ? '✓' : '✗'} ${event.task} › ${p.property} (${cases}, ${p.durationMs} ms)`);
  }
}

/**
 * The failure as the runner explained it (case, rendered tensors, replay command), plus a hidden
 * one's details. A property that broke its task (a timeout, a crash) said why on the task's line:
 * here it shows the case that did it.
 */
function failureText(p: PropertyOutcome, brokeTask: boolean): string {
  const explained = brokeTask ? caseDetails(p) : [p.message, ...hiddenCaseDetails(p)];
  return [`✗ ${p.task} › ${p.property}`, ...explained.map(indent)].join('\n');
}
