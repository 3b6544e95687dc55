/**
 * The class page (`summary.html`): per task the pass rate and the most common failing property,
 * the score distribution as an inline SVG histogram (of the graded submissions), the submissions the
 * grader could not grade and the folders with no submission (each counted apart), who did the
 * optional tasks, the slowest ones, and every student linked to their own report. It fits a
 * 1280 px screen whatever the folder names and the number of tasks: long names wrap.
 */
import { join } from 'node:path';
import { bar, esc, page, points } from '../reports/html/page.ts';
import { writeAtomic } from '../reports/write.ts';
import type { ClassSummary, Timings } from './summary.ts';

export async function writeClassHtml(summary: ClassSummary, timings: Timings, outDir: string): Promise<string> {
  const file = join(outDir, 'summary.html');
  await writeAtomic(file, classHtml(summary, timings));
  return file;
}

function classHtml(summary: ClassSummary, timings: Timings): string {
  const d = summary.distribution;
  const some = (x: number | null) => (x === null ? '–' : points(x));
  const cards = [
    ['submissions', esc(summary.submissions)],
    ['graded', esc(summary.graded)],
    ['mean', `${some(d.mean)} / ${points(summary.maxScore)}`],
    ['median', some(d.median)],
    ['lowest – highest', `${some(d.min)} – ${some(d.max)}`],
    ['no submission', esc(summary.noSubmission.length)],
    ['not graded', esc(summary.notGraded.length)],
  ]
    .map(([k, v]) => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${v}</div></div>`)
    .join('');
  const tasks = summary.tasks
    .map((t) => {
      const failure = t.mostCommonFailure ? `<code>${esc(t.mostCommonFailure.property)}</code> <span class="muted">(${esc(t.mostCommonFailure.count)})</span>` : '<span class="muted">none</span>';
      return `<tr><td>${esc(t.title)}<br><code class="muted">${esc(t.task)}</code></td><td>${bar(t.passRate)} ${esc(Math.round(t.passRate * 100))}%</td><td class="num">${points(t.meanScore)} / ${points(t.maxScore)}</td><td>${failure}</td></tr>`;
    })
    .join('');
  const link = (name: string) => `<a href="${esc(encodeURIComponent(name))}/report.html">${esc(name)}</a>`;
  const problems = summary.notGraded.length
    ? `<h2>Not graded</h2><p class="sub">The grader failed on these: no score, and 'propgrade batch --resume' grades them again.</p><table><tr><th>submission</th><th>what failed</th><th>reason</th></tr>${summary.notGraded
        .map((p) => `<tr><td>${link(p.name)}</td><td>${esc(p.fault ?? '')}</td><td>${esc(p.reason)}</td></tr>`)
        .join('')}</table>`
    : '';
  const missing = summary.noSubmission.length
    ? `<h2>No submission</h2><table><tr><th>folder</th><th>reason</th></tr>${summary.noSubmission.map((p) => `<tr><td>${link(p.name)}</td><td>${esc(p.reason)}</td></tr>`).join('')}</table>`
    : '';
  const optional = summary.tasks
    .filter((t) => t.doneBy !== undefined)
    .map((t) => `<tr><td>${esc(t.title)}<br><code class="muted">${esc(t.task)}</code></td><td class="num">${esc(t.doneBy!.length)} of ${esc(summary.graded)}</td><td>${t.doneBy!.map(link).join(', ') || '<span class="muted">nobody</span>'}</td></tr>`)
    .join('');
  const optionals = optional ? `<h2>Optional tasks</h2><p class="sub">No points: who passed them.</p><table class="optional wrap"><tr><th>task</th><th>done by</th><th>who</th></tr>${optional}</table>` : '';
  const slowest = timings.slowest.map((s) => `<tr><td>${esc(s.name)}</td><td>${esc((s.durationMs / 1000).toFixed(1))} s</td></tr>`).join('');
  const taskIds = summary.tasks.map((t) => t.task);
  const students = summary.students
    .map((s) => {
      const cells = taskIds.map((t) => `<td class="num">${s.score === null ? '' : points(s.tasks[t] ?? 0)}</td>`).join('');
      const status = s.status === 'graded' ? '' : ` <span class="pill fail">${esc(s.status)}</span>`;
      const total = s.score === null ? '<span class="muted">not graded</span>' : `<strong>${points(s.score)}</strong> / ${points(s.maxScore)}`;
      return `<tr><td class="name">${link(s.name)}${status}</td><td class="num">${total}</td>${cells}</tr>`;
    })
    .join('');
  const seed = summary.seed === null ? 'per-submission HMAC seeds' : `seed ${summary.seed}`;
  const wall = timings.wallMs === undefined ? '' : ` · batch wall time ${(timings.wallMs / 1000).toFixed(1)} s`;
  const body = `
<h1>Class summary</h1>
<p class="sub">${esc(summary.submissions)} submissions, ${esc(summary.graded)} graded · ${esc(seed)}${esc(wall)}</p>
<div class="grid">${cards}</div>
<h2>Tasks</h2>
<table class="tasks wrap"><tr><th>task</th><th>pass rate</th><th>mean score</th><th>most common failure</th></tr>${tasks}</table>
<h2>Score distribution of the graded submissions</h2>
${histogramSvg(summary)}
${optionals}
${problems}
${missing}
<h2>Students</h2>
<table class="students wrap"><tr><th>student</th><th>total</th>${taskIds.map((t) => `<th><code>${esc(t)}</code></th>`).join('')}</tr>${students}</table>
<h2>Slowest submissions</h2>
<table class="slowest wrap"><tr><th>submission</th><th>grading time</th></tr>${slowest}</table>`;
  return page('Class summary', body);
}

/** Eleven bars, one per tenth of the maximum score and the last for full marks, labelled with their counts. */
function histogramSvg(summary: ClassSummary): string {
  const bins = summary.distribution.histogram;
  const most = Math.max(1, ...bins.map((b) => b.count));
  const [w, h, pad] = [56, 140, 24];
  const bars = bins
    .map((b, i) => {
      const height = Math.round((b.count / most) * h);
      const x = i * w + 8;
      const full = b.from === b.to;
      const range = full ? `full marks (${points(b.to)})` : `${points(b.from)} to under ${points(b.to)}`;
      return `<rect x="${x}" y="${pad + h - height}" width="${w - 16}" height="${height}" rx="3" fill="${full ? '#1a7f37' : '#2da44e'}"><title>${esc(b.count)} with ${range}</title></rect>
<text x="${x + (w - 16) / 2}" y="${pad + h - height - 6}" text-anchor="middle" font-size="12">${esc(b.count)}</text>
<text x="${x + (w - 16) / 2}" y="${pad + h + 16}" text-anchor="middle" font-size="11" fill="#656d76">${full ? 'full' : points(b.from)}</text>`;
    })
    .join('\n');
  return `<svg class="histogram" role="img" aria-label="score distribution" width="${bins.length * w}" height="${pad + h + 24}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">${bars}</svg>`;
}
