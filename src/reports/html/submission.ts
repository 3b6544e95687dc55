/**
 * One submission's report as a self-contained page (`report.html` beside results.json): per task its
 * properties, pass or fail, each counterexample as tensors, the student's code of the task with its
 * coverage, and for the forward tasks the computation graph. It is a staff view: hidden properties
 * show their counterexamples too.
 */
import { readFile } from 'node:fs/promises';
import { readSubmitted } from '../../submission.ts';
import { basename, join } from 'node:path';
import libCoverage from 'istanbul-lib-coverage';
import type { GradeReport, PropertyOutcome, TaskOutcome } from '../../model/report.ts';
import { visibleSource } from '../../model/text.ts';
import type { Lab } from '../../lab/load.ts';
import { describeFinding } from '../explain.ts';
import { totalScore } from '../results.ts';
import { labGraphs, type Graph } from './graphs.ts';
import { esc, page, passPill, plainHtml, points } from './page.ts';

/** The student's code with the line hits of its coverage run (absent when grading gave none). */
export interface CodeView {
  lines: string[];
  /** 1-based line -> hit count, for the lines that hold a statement. */
  hits: Map<number, number>;
  /** Export name -> the lines [first, last] of its function. */
  functions: Map<string, [number, number]>;
}

export interface PageExtras {
  code?: CodeView;
  graphs?: Record<string, Graph>;
}

/** The page `report.html` for `report`, with the coverage that grading left in `outDir` and the lab's graphs. */
export async function renderHtmlReport(report: GradeReport, outDir: string, lab?: Lab): Promise<string> {
  const [code, graphs] = await Promise.all([readCode(report, outDir), lab ? labGraphs(report, lab) : undefined]);
  return submissionHtml(report, { code, graphs });
}

export function submissionHtml(report: GradeReport, extras: PageExtras = {}): string {
  const name = basename(report.file && report.submission.endsWith(basename(report.file)) ? report.submission.slice(0, -basename(report.file).length - 1) || report.submission : report.submission);
  const { score, max } = totalScore(report.tasks);
  const coverage = report.coverage ? ` · coverage ${esc(report.coverage.lines)}% of lines, ${esc(report.coverage.branches)}% of branches` : '';
  const findings = report.findings.length
    ? `<h3>Static findings</h3><ul>${report.findings.map((f) => `<li><code>${esc(describeFinding(f))}</code></li>`).join('')}</ul>`
    : '';
  const faults = report.graderFaults?.length
    ? `<h3>Grader faults (staff)</h3>${report.graderFaults.map((f) => `<pre class="broken">${esc(f)}</pre>`).join('')}`
    : '';
  const output = report.studentOutput ? `<details><summary>Student output</summary><pre class="code">${esc(report.studentOutput)}</pre></details>` : '';
  const body = `
<h1>${esc(name)}</h1>
<p class="sub">Staff report · seed ${esc(report.seed)} (${esc(report.seedSource)}) · graded ${esc(report.startedAt)}${coverage}</p>
<div class="score">${points(score)} <span class="muted">/ ${points(max)}</span></div>
${summaryTable(report.tasks)}
${findings}${faults}
${failingFirst(report.tasks).map((t) => taskHtml(t, extras)).join('\n')}
${extras.code ? `<section class="task" id="code"><header><h2>Code coverage</h2></header>${codeHtml(extras.code, 1, extras.code.lines.length)}</section>` : ''}
${output}`;
  return page(`${name}: ${score}/${max}`, body);
}

/** Failing tasks first (in the lab's order), then the passing ones: staff read a report for what went wrong. */
const failingFirst = (tasks: TaskOutcome[]) => [...tasks.filter((t) => !t.passed), ...tasks.filter((t) => t.passed)];

/** One line per task at the top: its score and, for a failing one, how many properties failed or why it broke. */
function summaryTable(tasks: TaskOutcome[]): string {
  const status = (t: TaskOutcome) => {
    if (t.broken) return `${t.broken.kind}: ${t.broken.message.split('\n')[0]}`;
    const failed = t.properties.filter((p) => !p.passed);
    return failed.length === 0 ? 'passed' : `failed: ${failed.map((p) => `${p.property} (${p.visibility})`).join(', ')}`;
  };
  const rows = failingFirst(tasks).map(
    (t) => `<tr><td class="name"><a href="#${esc(t.task)}"><code>${esc(t.task)}</code></a></td><td>${passPill(t.passed)}</td><td class="num">${points(t.score)} / ${points(t.maxScore)}</td><td>${esc(status(t))}</td></tr>`,
  );
  return `<table class="props summary"><tr><th>task</th><th>result</th><th class="num">score</th><th>what failed</th></tr>${rows.join('')}</table>`;
}

function taskHtml(task: TaskOutcome, extras: PageExtras): string {
  const broken = task.broken ? `<div class="broken"><strong>${esc(task.broken.kind)}</strong>: ${esc(task.broken.message)}</div>` : '';
  const props = task.properties.length
    ? `<table class="props"><tr><th>property</th><th>what must hold</th><th>visibility</th><th>result</th><th>score</th></tr>${task.properties.map(propertyRow).join('')}</table>`
    : '';
  const failures = task.properties.filter((p) => !p.passed).map(failureHtml).join('');
  const graph = extras.graphs?.[task.task];
  const code = extras.code ? taskCode(task, extras.code) : '';
  return `<section class="task" id="${esc(task.task)}" data-task="${esc(task.task)}">
<header><h2>${esc(task.title)} <span class="muted">${esc(task.task)}</span></h2><div>${passPill(task.passed)} <strong>${points(task.score)}</strong> / ${points(task.maxScore)}</div></header>
${broken}${failures}${props}
${graph ? `<h3>Computation graph</h3><p class="muted">${esc(graph.label)}</p><div class="graph">${graph.svg}</div>` : ''}
${code}
</section>`;
}

function propertyRow(p: PropertyOutcome): string {
  return `<tr><td><code>${esc(p.property)}</code></td><td>${esc(p.title)}</td><td>${esc(p.visibility)}</td><td>${passPill(p.passed)}</td><td class="num">${points(p.score)} / ${points(p.maxScore)}</td></tr>`;
}

function failureHtml(p: PropertyOutcome): string {
  const parts = [`<div class="msg">${esc(p.message)}</div>`];
  // A hidden failure's message is generic: what the grader compared is in its detail, shown without unfolding.
  const [header = '', ...rest] = (p.staff?.detail ?? '').split('\n');
  const { said, frames } = splitStack(rest.join('\n'));
  if (p.visibility === 'hidden' && said) parts.push(`<h3>What the grader saw (staff)</h3><div class="msg">${esc(said)}</div>`);
  if (p.staff?.counterexample !== undefined && p.staff.counterexample !== null) parts.push(`<h3>Counterexample</h3><div class="counterexample">${plainHtml(p.staff.counterexample)}</div>`);
  if (p.divergence) {
    parts.push(`<h3>First differing time step: t = ${esc(p.divergence.step)}</h3>${plainHtml(p.divergence.expected, 'expected')}${plainHtml(p.divergence.actual, 'yours')}`);
  }
  // The replay command once: a public failure's message already ends with it.
  if (p.staff?.replay && !p.message.includes(p.staff.replay)) parts.push(`<p>Replay: <code>${esc(p.staff.replay)}</code></p>`);
  if (p.staff?.detail) parts.push(`<details><summary>Staff detail</summary><pre class="code">${esc([header, p.visibility === 'hidden' ? '' : said, frames].filter(Boolean).join('\n'))}</pre></details>`);
  return `<details open class="failure"><summary>Why <code>${esc(p.property)}</code> failed</summary>${parts.join('\n')}</details>`;
}

/** An error's text and its stack frames apart: the frames are the grader's own, read last if at all. */
function splitStack(text: string): { said: string; frames: string } {
  const at = text.search(/\n\s+at /);
  return at < 0 ? { said: text, frames: '' } : { said: text.slice(0, at), frames: text.slice(at + 1) };
}

function taskCode(task: TaskOutcome, code: CodeView): string {
  const ranges = (task.exports ?? []).flatMap((name) => {
    const range = code.functions.get(name);
    return range ? [range] : [];
  });
  return ranges.map(([from, to]) => `<details><summary>Code of this task, with coverage</summary>${codeHtml(code, from, to)}</details>`).join('');
}

/** Lines `from..to` (1-based); a statement never run is marked uncovered. */
function codeHtml(code: CodeView, from: number, to: number): string {
  const lines = code.lines.slice(from - 1, to).map((text, i) => {
    const n = from + i;
    const hits = code.hits.get(n);
    const cls = hits === undefined ? '' : hits > 0 ? ' covered' : ' uncovered';
    const title = hits === undefined ? '' : ` title="${hits > 0 ? `run ${hits} time(s)` : 'never run'}"`;
    return `<span class="ln${cls}" data-n="${n}"${title}>${esc(text) || ' '}</span>`;
  });
  return `<pre class="code">${lines.join('')}</pre>`;
}

/** The student's submission file with the hits of `coverage/coverage-final.json` (istanbul JSON), if grading left it. */
async function readCode(report: GradeReport, outDir: string): Promise<CodeView | undefined> {
  if (report.file === undefined) return undefined;
  const read = await readSubmitted(report.file);
  const source = 'source' in read ? read.source.toString('utf8') : undefined;
  if (source === undefined) return undefined;
  const jsonPath = report.coverage?.jsonPath ?? join(outDir, 'coverage', 'coverage-final.json');
  const data = await readFile(jsonPath, 'utf8').then(JSON.parse, () => undefined);
  // Split where the instrumenter counts lines, so hits land on their lines; controls and bidi shown as U+FFFD.
  const view: CodeView = { lines: visibleSource(source).split(/\r\n|[\r\n\u2028\u2029]/), hits: new Map(), functions: new Map() };
  const fileData = data && (Object.values(data) as Array<{ path: string }>).find((f) => f.path.endsWith(basename(report.file!)));
  if (!fileData) return view;
  const file = libCoverage.createFileCoverage(fileData as never);
  for (const [line, hits] of Object.entries(file.getLineCoverage())) view.hits.set(Number(line), hits);
  for (const fn of Object.values(file.fnMap)) view.functions.set(fn.name, [fn.loc.start.line, fn.loc.end.line]);
  return view;
}
