/**
 * `junit.xml`: a testsuite per task, a testcase per property, for CI dashboards and staff; valid
 * against schemas/junit-10.xsd (the structure of Jenkins' junit-10.xsd). It carries the staff detail
 * (seed, replay command) since students never receive it.
 *
 * A task that broke (a static rule, the build, a crash, a timeout) is one testcase of its own, named
 * after the break, that fails (a grader fault: that errs); its properties that never ran are
 * `skipped`, with the reason. A last suite, `propgrade run`, holds no test: the run's facts as
 * properties, the student's output as `<system-out>`, the grader's faults as `<system-err>`.
 */
import type { GradeReport, PropertyOutcome, TaskOutcome } from '../model/report.ts';
import { firstLine } from './explain.ts';
import { truncate } from './plain-json.ts';

/** XML 1.0 cannot hold most control characters even escaped: student output may contain any. */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escapeXml(text: string | number): string {
  return String(text)
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The suite of the run's facts, named so that no task id (a plain identifier) can take it. */
export const RUN_SUITE = 'propgrade run';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** JUnit's timestamp: ISO 8601 without zone or fraction (Ant's and Jenkins' form); the run's start, UTC. */
const timestamp = (iso: string) => new Date(iso).toISOString().slice(0, 19);

/** A fault of the grader is an `error` in JUnit's terms (it broke, nothing was judged); the rest are `failure`s. */
const isError = (task: TaskOutcome) => task.broken?.kind === 'grader-fault';
/** A property that never ran because its task broke first. */
const notRun = (task: TaskOutcome, p: PropertyOutcome) => task.broken !== undefined && !p.passed && p.runs === 0;

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function counts(tasks: TaskOutcome[]): Counts {
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const task of tasks) {
    const failed = task.properties.filter((p) => !p.passed && !notRun(task, p)).length + (task.broken ? 1 : 0);
    total.tests += task.properties.length + (task.broken ? 1 : 0);
    total.skipped += task.properties.filter((p) => notRun(task, p)).length;
    if (isError(task)) total.errors += failed;
    else total.failures += failed;
  }
  return total;
}

const attributes = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');

export function toJUnit(report: GradeReport): string {
  const { tests, failures, errors } = counts(report.tasks);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'propgrade', tests, failures, errors, time: seconds(report.durationMs) })}>`,
    ...report.tasks.map((task) => suite(task, report.startedAt)),
    runSuite(report),
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(task: TaskOutcome, startedAt: string): string {
  const time = task.properties.reduce((ms, p) => ms + p.durationMs, 0);
  const open = `  <testsuite${attributes({ name: task.task, ...counts([task]), time: seconds(time), timestamp: timestamp(startedAt) })}>`;
  const cases = [...(task.broken ? [breakCase(task)] : []), ...task.properties.map((p) => testcase(task, p))];
  return [open, ...cases, '  </testsuite>'].join('\n');
}

function breakCase(task: TaskOutcome): string {
  const { kind, message } = task.broken!;
  const element = isError(task) ? 'error' : 'failure';
  return (
    `    <testcase${attributes({ classname: task.task, name: `[${kind}]`, time: seconds(0) })}>\n` +
    `      <${element}${attributes({ message: firstLine(message), type: kind })}>${escapeXml(message)}</${element}>\n` +
    '    </testcase>'
  );
}

function testcase(task: TaskOutcome, p: PropertyOutcome): string {
  const open = `    <testcase${attributes({ classname: task.task, name: p.property, time: seconds(p.durationMs) })}`;
  if (p.passed) return `${open}/>`;
  if (notRun(task, p)) return `${open}>\n      <skipped${attributes({ message: `not run: the task broke first (${task.broken!.kind})` })}/>\n    </testcase>`;
  const element = isError(task) ? 'error' : 'failure';
  const staff = p.staff ? [`seed: ${p.staff.seed}`, p.staff.path && `path: ${p.staff.path}`, p.staff.replay && `replay: ${p.staff.replay}`, p.staff.detail].filter(Boolean) : [];
  const out = staff.length > 0 ? `\n      <system-out>${escapeXml(staff.join('\n'))}</system-out>` : '';
  return `${open}>\n      <${element}${attributes({ message: firstLine(p.message), type: task.broken?.kind ?? 'property' })}>${escapeXml(p.message)}</${element}>${out}\n    </testcase>`;
}

/** The run's facts: no test, its properties, the student's output and the grader's faults. */
function runSuite(report: GradeReport): string {
  const facts = { lab: report.lab, submission: report.submission, seed: report.seed, seed_source: report.seedSource, sandbox_layers: report.sandboxLayers.join(', ') };
  const properties = Object.entries(facts).map(([name, value]) => `      <property${attributes({ name, value })}/>`);
  return [
    `  <testsuite${attributes({ name: RUN_SUITE, tests: 0, failures: 0, errors: 0, skipped: 0, time: seconds(report.durationMs), timestamp: timestamp(report.startedAt) })}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    `    <system-out>${escapeXml(truncate(report.studentOutput, 64_000))}</system-out>`,
    `    <system-err>${escapeXml((report.graderFaults ?? []).join('\n'))}</system-err>`,
    '  </testsuite>',
  ].join('\n');
}
