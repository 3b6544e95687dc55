/**
 * `propgrade check [<submission>]`: a student's local fuzz check on the public properties (all of
 * them with --hidden), through the same sandbox and specs as grading. Static findings first, then
 * one line per property as it ends, then each failure's shrunk counterexample and the exact command
 * that replays it, what the student's code printed, and the tasks with their points. Exit 1 when
 * anything fails, 0 when all passes, 2 when there is nothing to check (a wrong path, an empty folder).
 */
import { randomInt } from 'node:crypto';
import { existsSync, rmSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { gradeSubmission, labOf, openSandboxAhead, SelectionError, selectTasks, type GradeEvent, type GradeOptions } from '../../grading/grade.ts';
import { locateLab } from '../../submission.ts';
import type { GradeReport, PropertyOutcome, TaskOutcome } from '../../model/report.ts';
import { oneLine, plainText } from '../../model/text.ts';
import { caseDetails, describeFinding, hiddenCaseDetails } from '../../reports/explain.ts';
import { plainToJson, truncate } from '../../reports/plain-json.ts';
import { formatScore, roundScore } from '../../reports/results.ts';
import { UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';
import { json, lab, runs, seed } from '../options.ts';

/** The most of the student's own output `check` prints (the rest is cut, saying how much). */
const MAX_OUTPUT = 4_000;

/** What a template's stubs throw (specs/README.md, section 10: "not done yet", or a TODO): a task still to do, not a bug. */
const STUB = /threw an error: Error: (TODO\b|not done yet)/;

const indent = (text: string) => `    ${text.replace(/\n/g, '\n    ')}`;

export const command = defineCommand({
  positionals: '[<submission>]',
  description: `Fuzzes your lab.ts (default: lab.ts in this folder, else lab/) against the public properties of
every task, or of --task. A failure prints the smallest failing case found and the command that
replays it exactly; what your code printed (console.log) is shown after the failures.

Exit 0 when every property holds, 1 when one fails, 2 when there is nothing to check (a wrong
path, a folder without lab.ts) or the command line is wrong.`,
  options: {
    lab,
    task: { type: 'string', value: 'ID', description: 'one task only' },
    property: { type: 'string', value: 'P', description: 'one property of --task' },
    seed: { ...seed, description: "the run's seed (default: a fresh one each run, printed)" },
    path: { type: 'string', value: 'P', description: 'with --task, --property and --seed: replay that one case' },
    runs,
    hidden: { type: 'boolean', description: 'staff: the hidden properties too' },
    watch: { type: 'boolean', description: 'check again each time lab.ts is saved, printing what changed' },
    json,
  },
  async run({ values, positionals }) {
    if (positionals.length > 1) throw new UsageError(`propgrade check takes at most one submission, got ${positionals.length}\nusage: ${command.usage('check')}`);
    const only = selection(values);
    const visibility = values.hidden ? 'all' : 'public';
    const definition = await labOf({ lab: values.lab, visibility });
    const submission = positionals[0] ?? (existsSync(definition.submission) ? definition.submission : 'lab/');
    checkSelection(definition, only, visibility);
    // Nothing to check is the caller's to fix: said once, exit 2, before any grading.
    const located = await locateLab(submission, definition.submission);
    if ('missing' in located) throw new UsageError(`propgrade check: ${located.missing}`);

    const once = async (seed: number) => {
      const report = await gradeSubmission(submission, {
        lab: definition,
        seed,
        runs: values.runs,
        visibility,
        only,
        crossCheck: false,
        ...(values.json ? {} : { onProgress: progress }),
      });
      return report;
    };
    const seedOf = () => values.seed ?? randomInt(2 ** 31);
    if (values.json) {
      const report = await once(seedOf());
      console.log(JSON.stringify(jsonOf(report), null, 2));
      return failedCount(report) > 0 ? 1 : 0;
    }
    const first = seedOf();
    console.log(`propgrade check ${oneLine(submission)} (seed ${first}, ${visibility} properties)`);
    let report = await once(first);
    printReport(report);
    if (!values.watch) return failedCount(report) > 0 ? 1 : 0;
    // Watch: rerun on each save of the file, printing only the tasks whose outcome changed.
    const saved = saves(located.file); // watching from here: a save made once the line below shows is seen
    console.log(`\nwatching ${located.file} (Ctrl-C to stop)`);
    // The next save's sandbox boots while the student edits: a save then waits for no process start.
    // One that cannot open is no loss: the save opens its own, and its grade says what went wrong.
    const boot = () => openSandboxAhead({ visibility }).catch(() => undefined);
    let ahead = await boot();
    process.once('SIGINT', () =>
      void Promise.resolve(ahead?.discard()).finally(() => {
        // A save still being checked builds in the folder it took: that goes too (its process ends with this one).
        if (ahead) rmSync(ahead.dir, { recursive: true, force: true });
        process.exit(130);
      }),
    );
    for await (const _ of saved) {
      const seed = seedOf();
      const next = await gradeSubmission(submission, { lab: definition, seed, runs: values.runs, visibility, only, crossCheck: false, sandbox: ahead });
      console.log(`\n${new Date().toLocaleTimeString()} lab.ts saved: checked again (seed ${seed})`);
      console.log(changes(report, next).join('\n') || '  nothing changed');
      report = next;
      ahead = await boot();
    }
    await ahead?.discard();
    return failedCount(report) > 0 ? 1 : 0;
  },
});

function selection(values: { task?: string; property?: string; path?: string; seed?: number }) {
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

const failedCount = (report: GradeReport) => report.tasks.reduce((n, t) => n + t.properties.filter((p) => !p.passed).length, 0);

/** A task whose every failure is a stub's "not done yet": one line, not a counterexample per property. */
const notStarted = (task: TaskOutcome) => {
  const failed = task.properties.filter((p) => !p.passed);
  return !task.broken && failed.length > 0 && failed.every((p) => STUB.test(p.message));
};

/**
 * The failures, each said once: a break every task shares (a syntax error, a build that failed)
 * once for all of them; a broken task by the property that broke it (the ones that had passed are
 * not failures); a task still a stub as "not implemented yet".
 */
function printReport(report: GradeReport): void {
  const shared = sharedBreak(report);
  // A static finding was listed above as it came: the tasks only need to say they wait for it.
  if (shared) console.log(`\n✗ every task: ${report.tasks[0]!.broken!.kind === 'static' ? 'no task runs until the static checks above pass' : report.tasks[0]!.broken!.message}`);
  for (const task of report.tasks) {
    if (notStarted(task)) {
      console.log(`\n✗ ${task.task}: not implemented yet (${(task.exports ?? []).join(', ') || 'its export'} still throws its stub's error)`);
      continue;
    }
    if (task.broken) {
      if (!shared) console.log(`\n✗ ${task.task}: ${task.broken.message}`);
      // The property that broke the task shows its case; those that passed before it were no failure.
      for (const p of task.properties.filter((p) => p.runs > 0 && p.message === task.broken!.message)) console.log(`\n${failureText(p, true)}`);
      continue;
    }
    for (const p of task.properties.filter((p) => !p.passed && p.runs > 0)) console.log(`\n${failureText(p, false)}`);
  }
  if (report.studentOutput.trim()) console.log(`\nYour code printed:\n${indent(truncate(report.studentOutput.trimEnd(), MAX_OUTPUT))}`);
  console.log(`\n${summary(report)}`);
}

/** Every task broken the same way (a syntax error, a failed build): said once for all. */
function sharedBreak(report: GradeReport): boolean {
  const breaks = report.tasks.filter((t) => t.broken);
  return breaks.length > 1 && breaks.length === report.tasks.length && breaks.every((t) => t.broken!.message === breaks[0]!.broken!.message);
}

/** The tasks with their points, and the line a student looks for: "public properties: 5 of 6 tasks pass". */
function summary(report: GradeReport): string {
  const width = Math.max(...report.tasks.map((t) => t.task.length));
  const shared = sharedBreak(report);
  const status = (t: TaskOutcome) => (shared ? `${t.broken!.kind} (above)` : taskStatus(t));
  const lines = report.tasks.map((t) => `  ${t.passed ? '✓' : '✗'} ${t.task.padEnd(width)}  ${points(t.maxScore).padEnd(9)} ${status(t)}`);
  const passing = report.tasks.filter((t) => t.passed);
  const kind = report.tasks.some((t) => t.properties.some((p) => p.visibility === 'hidden')) ? 'all properties' : 'public properties';
  const earned = roundScore(passing.reduce((sum, t) => sum + t.maxScore, 0));
  const total = roundScore(report.tasks.reduce((sum, t) => sum + t.maxScore, 0));
  const properties = report.tasks.flatMap((t) => t.properties);
  return [
    'tasks:',
    ...lines,
    `${kind}: ${passing.length} of ${report.tasks.length} tasks pass (${formatScore(earned)} of ${formatScore(total)} points, if the hidden properties agree); ` +
      `${properties.filter((p) => p.passed).length} passed, ${failedCount(report)} failed in ${(report.durationMs / 1000).toFixed(1)} s (seed ${report.seed})`,
  ].join('\n');
}

const points = (n: number) => `${formatScore(n)} ${n === 1 ? 'point' : 'points'}`;

function taskStatus(t: TaskOutcome): string {
  if (notStarted(t)) return 'not implemented yet';
  if (t.broken) return `${t.broken.kind}: ${t.broken.message.split('\n')[0]}`;
  const failed = t.properties.filter((p) => !p.passed).length;
  return failed === 0 ? `all ${t.properties.length} passed` : `${failed} of ${t.properties.length} failed`;
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

/** What --json prints: the run's outcome per task and property, plain data (tensors as { shape, data }). */
function jsonOf(report: GradeReport) {
  return {
    submission: report.submission,
    lab: report.lab,
    seed: report.seed,
    passed: failedCount(report) === 0,
    findings: report.findings.map((f) => ({ file: f.file, line: f.line, column: f.column, rule: f.rule, policy: f.policy, message: f.message })),
    tasks: report.tasks.map((t) => ({
      task: t.task,
      points: t.maxScore,
      passed: t.passed,
      status: taskStatus(t),
      ...(t.broken ? { broken: t.broken } : {}),
      properties: t.properties.map((p) => ({
        property: p.property,
        visibility: p.visibility,
        passed: p.passed,
        runs: p.runs,
        message: p.message,
        ...(p.staff?.counterexample !== undefined && p.visibility === 'public' ? { counterexample: plainToJson(p.staff.counterexample) } : {}),
        ...(p.staff?.replay && p.visibility === 'public' ? { replay: p.staff.replay } : {}),
      })),
    })),
    studentOutput: truncate(report.studentOutput, MAX_OUTPUT),
    durationMs: report.durationMs,
  };
}

/** The tasks whose status changed between two runs, one line each. */
function changes(before: GradeReport, after: GradeReport): string[] {
  const was = new Map(before.tasks.map((t) => [t.task, taskStatus(t)]));
  return after.tasks
    .filter((t) => was.get(t.task) !== taskStatus(t))
    .map((t) => `  ${t.passed ? '✓' : '✗'} ${t.task}: ${was.get(t.task) ?? 'not run'} → ${taskStatus(t)}`);
}

/**
 * Each save of `file` from this call on (the watch starts now, not at the first iteration), once:
 * editors write a file in several events, so they are gathered for a moment.
 */
function saves(file: string): AsyncGenerator<void> {
  let wake: (() => void) | undefined;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  // The folder, not the file: an editor that saves by renaming a new file over it would end a watch on the file.
  const watcher = watch(dirname(file), (_, name) => {
    if (name !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      pending = true;
      wake?.();
    }, 150);
  });
  return (async function* () {
    try {
      for (;;) {
        if (!pending) await new Promise<void>((resolve) => (wake = resolve));
        pending = false;
        yield;
      }
    } finally {
      watcher.close();
    }
  })();
}
