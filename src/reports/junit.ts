/**
 * `junit.xml`: a testsuite per task, a testcase per property, for CI dashboards and staff. It carries
 * the staff detail (seed, replay command) since students never receive it.
 */
import type { GradeReport, PropertyOutcome, TaskOutcome } from '../model/report.ts';

/** XML 1.0 cannot hold most control characters even escaped: student output may contain any. */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** A fault of the grader is an `error` in JUnit's terms (it broke, nothing was judged); the rest are `failure`s. */
const isError = (task: TaskOutcome) => task.broken?.kind === 'grader-fault';

/** How many properties of `tasks` failed, and how many of those are grader errors. */
function counts(tasks: TaskOutcome[]): { tests: number; failures: number; errors: number } {
  const failed = (t: TaskOutcome) => t.properties.filter((p) => !p.passed).length;
  return {
    tests: tasks.reduce((n, t) => n + t.properties.length, 0),
    failures: tasks.reduce((n, t) => n + (isError(t) ? 0 : failed(t)), 0),
    errors: tasks.reduce((n, t) => n + (isError(t) ? failed(t) : 0), 0),
  };
}

export function toJUnit(report: GradeReport): string {
  const { tests, failures, errors } = counts(report.tasks);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="propgrade" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(report.durationMs)}">`,
    ...report.tasks.map(suite),
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(task: TaskOutcome): string {
  const { tests, failures, errors } = counts([task]);
  const time = task.properties.reduce((ms, p) => ms + p.durationMs, 0);
  const open = `  <testsuite name="${escapeXml(task.task)}" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(time)}">`;
  return [open, ...task.properties.map((p) => testcase(task, p)), '  </testsuite>'].join('\n');
}

function testcase(task: TaskOutcome, p: PropertyOutcome): string {
  const open = `    <testcase classname="${escapeXml(task.task)}" name="${escapeXml(p.property)}" time="${seconds(p.durationMs)}"`;
  if (p.passed) return `${open}/>`;
  const staff = p.staff
    ? [`seed: ${p.staff.seed}`, p.staff.path && `path: ${p.staff.path}`, p.staff.replay && `replay: ${p.staff.replay}`, p.staff.detail]
    : [];
  const body = [p.message, ...staff].filter(Boolean).join('\n');
  const message = p.message.split('\n')[0];
  const element = isError(task) ? 'error' : 'failure';
  return `${open}>\n      <${element} message="${escapeXml(message)}" type="${escapeXml(task.broken?.kind ?? 'property')}">${escapeXml(body)}</${element}>\n    </testcase>`;
}
