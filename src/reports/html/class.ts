/**
 * The class page (`summary.html`): per task the pass rate and the most common failing property,
 * the score distribution as an inline SVG histogram, the submissions the grader could not grade,
 * the slowest ones, and every student linked to their own report.
 */
import { join } from 'node:path';
import type { ClassSummary, Timings } from '../../batch/summary.ts';
import { writeAtomic } from '../write.ts';
import { bar, esc, page, points } from './page.ts';

export async function writeClassHtml(summary: ClassSummary, timings: Timings, outDir: string): Promise<string> {
  const file = join(outDir, 'summary.html');
  await writeAtomic(file, classHtml(summary, timings));
  return file;
}

function classHtml(summary: ClassSummary, timings: Timings): string {
  const d = summary.distribution;
  const cards = [
    ['submissions', esc(summary.submissions)],
    ['mean', `${points(d.mean)} / ${points(summary.maxScore)}`],
    ['median', points(d.median)],
    ['lowest – highest', `${points(d.min)} – ${points(d.max)}`],
    ['not graded', esc(summary.problems.length)],
  ]
    .map(([k, v]) => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${v}</div></div>`)
    .join('');
  const tasks = summary.tasks
    .map((t) => {
      const failure = t.mostCommonFailure ? `<code>${esc(t.mostCommonFailure.property)}</code> <span class="muted">(${esc(t.mostCommonFailure.count)})</span>` : '<span class="muted">none</span>';
      return `<tr><td>${esc(t.title)}<br><code class="muted">${esc(t.task)}</code></td><td>${bar(t.passRate)} ${esc(Math.round(t.passRate * 100))}%</td><td class="num">${points(t.meanScore)} / ${points(t.maxScore)}</td><td>${failure}</td></tr>`;
    })
    .join('');
  const problems = summary.problems.length
    ? `<h2>Not graded</h2><table><tr><th>submission</th><th>status</th><th>reason</th></tr>${summary.problems
        .map((p) => `<tr><td><a href="${esc(encodeURIComponent(p.name))}/report.html">${esc(p.name)}</a></td><td>${esc(p.status)}</td><td>${esc(p.reason)}</td></tr>`)
        .join('')}</table>`
    : '';
  const slowest = timings.slowest.map((s) => `<tr><td>${esc(s.name)}</td><td>${esc((s.durationMs / 1000).toFixed(1))} s</td></tr>`).join('');
  const taskIds = summary.tasks.map((t) => t.task);
  const students = summary.students
    .map((s) => {
      const cells = taskIds.map((t) => `<td class="num">${points(s.tasks[t] ?? 0)}</td>`).join('');
      const status = s.status === 'graded' ? '' : ` <span class="pill fail">${esc(s.status)}</span>`;
      return `<tr><td class="name"><a href="${esc(encodeURIComponent(s.name))}/report.html">${esc(s.name)}</a>${status}</td><td class="num"><strong>${points(s.score)}</strong> / ${points(s.maxScore)}</td>${cells}</tr>`;
    })
    .join('');
  const seed = summary.seed === null ? 'per-submission HMAC seeds' : `seed ${summary.seed}`;
  const wall = timings.wallMs === undefined ? '' : ` · batch wall time ${(timings.wallMs / 1000).toFixed(1)} s`;
  const body = `
<h1>Class summary</h1>
<p class="sub">${esc(summary.submissions)} submissions · ${esc(seed)}${esc(wall)}</p>
<div class="grid">${cards}</div>
<h2>Tasks</h2>
<table class="tasks"><tr><th>task</th><th>pass rate</th><th>mean score</th><th>most common failure</th></tr>${tasks}</table>
<h2>Score distribution</h2>
${histogramSvg(summary)}
${problems}
<h2>Students</h2>
<table class="students"><tr><th>student</th><th>total</th>${taskIds.map((t) => `<th><code>${esc(t)}</code></th>`).join('')}</tr>${students}</table>
<h2>Slowest submissions</h2>
<table class="slowest"><tr><th>submission</th><th>grading time</th></tr>${slowest}</table>`;
  return page('Class summary', body);
}

/** Ten bars, one per tenth of the maximum score, labelled with their counts. */
function histogramSvg(summary: ClassSummary): string {
  const bins = summary.distribution.histogram;
  const most = Math.max(1, ...bins.map((b) => b.count));
  const [w, h, pad] = [56, 140, 24];
  const bars = bins
    .map((b, i) => {
      const height = Math.round((b.count / most) * h);
      const x = i * w + 8;
      return `<rect x="${x}" y="${pad + h - height}" width="${w - 16}" height="${height}" rx="3" fill="#2da44e"><title>${esc(b.count)} with ${esc(b.from)}–${esc(b.to)}</title></rect>
<text x="${x + (w - 16) / 2}" y="${pad + h - height - 6}" text-anchor="middle" font-size="12">${esc(b.count)}</text>
<text x="${x + (w - 16) / 2}" y="${pad + h + 16}" text-anchor="middle" font-size="11" fill="#656d76">${points(b.from)}</text>`;
    })
    .join('\n');
  return `<svg class="histogram" role="img" aria-label="score distribution" width="${bins.length * w}" height="${pad + h + 24}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">${bars}</svg>`;
}
