/**
 * What a GradeReport may hold of a submission's text, applied where text enters the model (each task
 * outcome as grading makes it, the whole report before it is written): every string plain
 * (src/model/text.ts) and cut to a bound with a note saying so, every value bounded in size. The
 * views then render, store and join bounded text: 8 M characters returned by every export once made
 * toJUnit build a 3.7 GB string. Admitting admitted text changes nothing.
 */
import { isPlainTensor, type Plain } from '../sandbox/protocol.ts';
import type { Finding, GradeReport, PropertyOutcome, TaskOutcome } from './report.ts';
import { oneLine, plainText, truncate } from './text.ts';

export const LIMITS = {
  /** A message, a detail, a title, a fault. */
  text: 8_000,
  /** A field name inside a value. */
  key: 200,
  /** A value (a counterexample, a step's expected or actual value), in characters as JSON. */
  value: 20_000,
  /** The student's output (the sandbox already keeps at most 64 KiB of it). */
  output: 70_000,
  /** A written answer. */
  answer: 20_000,
  /** A graph's DOT text (the sandbox refuses more than 100 KB). */
  graph: 110_000,
} as const;

const text = (value: string, max: number = LIMITS.text) => truncate(plainText(value), max);

/** A value with its strings and keys admitted; one still too big becomes the start of its JSON, as text. */
export function admitValue(value: Plain): Plain {
  const admitted = admitParts(value);
  if (sizeAsJson(admitted, LIMITS.value + 1) <= LIMITS.value) return admitted;
  return truncate(JSON.stringify(admitted, (_key, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v)), LIMITS.text);
}

function admitParts(value: Plain): Plain {
  if (typeof value === 'string') return text(value);
  if (value === null || typeof value !== 'object' || isPlainTensor(value)) return value;
  if (Array.isArray(value)) return value.map(admitParts);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [truncate(oneLine(k), LIMITS.key), admitParts(v)]));
}

/** About how long `value` is as JSON, counting no further than `stop`. */
function sizeAsJson(value: Plain, stop: number): number {
  if (typeof value === 'string') return value.length + 2;
  if (value === null || typeof value !== 'object') return 8;
  if (isPlainTensor(value)) return 24 + value.shape.length * 4 + value.data.length * 12;
  let size = 2;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    size += (typeof k === 'string' ? k.length + 3 : 0) + 1 + sizeAsJson(v, stop - size);
    if (size > stop) break;
  }
  return size;
}

const admitFinding = (f: Finding): Finding => ({ ...f, file: text(f.file), message: text(f.message) });

function admitProperty(p: PropertyOutcome): PropertyOutcome {
  const admitted: PropertyOutcome = { ...p, title: text(p.title), message: text(p.message) };
  if (p.staff) {
    const { counterexample, replay, detail, path } = p.staff;
    admitted.staff = { ...p.staff };
    if (counterexample !== undefined) admitted.staff.counterexample = admitValue(counterexample);
    if (replay !== undefined) admitted.staff.replay = text(replay);
    if (detail !== undefined) admitted.staff.detail = text(detail);
    if (path !== undefined) admitted.staff.path = text(path, 1_000);
  }
  if (p.divergence) admitted.divergence = { step: p.divergence.step, expected: admitValue(p.divergence.expected), actual: admitValue(p.divergence.actual) };
  return admitted;
}

export function admitTask(task: TaskOutcome): TaskOutcome {
  return {
    ...task,
    title: text(task.title),
    ...(task.broken ? { broken: { kind: task.broken.kind, message: text(task.broken.message) } } : {}),
    findings: task.findings.map(admitFinding),
    properties: task.properties.map(admitProperty),
    graderBugs: task.graderBugs.map((bug) => text(bug)),
  };
}

/** The report with everything in it admitted (paths the grader reads, `file` and coverage's, stay as they are). */
export function admitReport(report: GradeReport): GradeReport {
  const admitted: GradeReport = {
    ...report,
    submission: text(report.submission, 1_000),
    tasks: report.tasks.map(admitTask),
    findings: report.findings.map(admitFinding),
    studentOutput: text(report.studentOutput, LIMITS.output),
  };
  if (report.answers) admitted.answers = report.answers.map((a) => ({ id: text(a.id, 200), prompt: text(a.prompt), text: text(a.text, LIMITS.answer) }));
  if (report.graderFaults) admitted.graderFaults = report.graderFaults.map((fault) => text(fault));
  if (report.coverageMissing !== undefined) admitted.coverageMissing = text(report.coverageMissing);
  if (report.graphs) admitted.graphs = Object.fromEntries(Object.entries(report.graphs).map(([task, dot]) => [task, text(dot, LIMITS.graph)]));
  return admitted;
}
