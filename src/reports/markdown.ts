/**
 * `report.md`: the staff's reading of one grading run. A line per task with its score, then each
 * failure with its property, the rendered counterexample, the first differing time step and the
 * replay command, the static findings, a one-line coverage summary, and the run's facts (seed,
 * sandbox layers, grader faults, the student's output).
 */
import type { GradeReport, PropertyOutcome, TaskOutcome } from '../model/report.ts';
import { describeFinding, describeTaskStatus, hiddenCaseDetails } from './explain.ts';
import { mdCell, mdCode, mdFence } from './escape.ts';
import { truncate } from './plain-json.ts';
import { formatScore, totalScore } from './results.ts';

/** Text that may hold the submission's, in a fence it cannot close (src/reports/escape.ts). */
const fence = (text: string) => mdFence(text, '');

/** One line: the run's lines and branches, then each task's share of the lines. */
export function coverageLine(coverage: GradeReport['coverage']): string {
  if (!coverage) return 'Coverage of the submission: not collected.';
  const tasks = Object.entries(coverage.perTask ?? {}).map(([task, c]) => `${task} ${Math.round(c.lines)}%`);
  const perTask = tasks.length > 0 ? ` Lines reached by each task: ${tasks.join(', ')}.` : '';
  return `Coverage of the submission by the grading run: lines ${coverage.lines.toFixed(1)}%, branches ${coverage.branches.toFixed(1)}%.${perTask}`;
}

export function toMarkdown(report: GradeReport): string {
  const { score, max } = totalScore(report.tasks);
  const lines = [
    `# propgrade: ${mdCode(report.submission)}`,
    '',
    `**${formatScore(score)} / ${formatScore(max)}** · seed ${report.seed} (${report.seedSource === 'flag' ? '--seed' : 'HMAC of the submission'})`,
    '',
    coverageLine(report.coverage),
    '',
    '| task | score | |',
    '|---|---|---|',
    ...report.tasks.map((t) => `| ${t.task} | ${formatScore(t.score)} / ${formatScore(t.maxScore)} | ${describeTaskStatus(t, mdCell)} |`),
  ];
  if (report.findings.length > 0) lines.push('', '## Static findings', '', ...report.findings.map((f) => `- ${mdCode(describeFinding(f))}`));
  for (const task of report.tasks.filter((t) => !t.passed || t.graderBugs.length > 0)) lines.push('', ...taskSection(task));
  lines.push('', '## Run (staff)', '', `- sandbox layers: ${report.sandboxLayers.join(', ') || 'none reported'}`);
  if (report.sandboxRefused?.length) lines.push(`- stronger layers that could not run here: ${report.sandboxRefused.join('; ')}`);
  if (report.callLimit) {
    const { measure, ms, wallBackstopMs } = report.callLimit;
    lines.push(`- call limit: ${ms} ms of ${measure === 'cpu-time' ? `CPU time (wall-clock backstop ${wallBackstopMs} ms)` : 'wall-clock time (CPU time not readable here)'}`);
  }
  for (const fault of report.graderFaults ?? []) lines.push('', 'Grader fault:', '', fence(fault));
  if (report.studentOutput) lines.push('', 'Student output (capped):', '', fence(truncate(report.studentOutput, 4_000)));
  return lines.join('\n') + '\n';
}

function taskSection(task: TaskOutcome): string[] {
  const lines = [`## ${task.task}: ${task.title} (${formatScore(task.score)} / ${formatScore(task.maxScore)})`];
  if (task.broken) lines.push('', `**${task.broken.kind}**:`, '', fence(task.broken.message));
  // A broken task's properties that never ran all carry the break's reason: list those that ran.
  for (const p of task.properties.filter((p) => !p.passed && p.runs > 0)) lines.push('', ...failure(p));
  for (const bug of task.graderBugs) lines.push('', `- grader bug (not counted against the student): ${mdCode(bug)}`);
  return lines;
}

/** A public failure's message already shows its case and replay; a hidden one's is generic, so add them. */
function failure(p: PropertyOutcome): string[] {
  const lines = [`### ✗ ${p.property} (${p.visibility}): ${p.title}`, '', fence(truncate(p.message, 4_000))];
  for (const detail of hiddenCaseDetails(p)) lines.push('', fence(truncate(detail, 4_000)));
  if (p.staff?.detail) lines.push('', '<details><summary>staff detail</summary>', '', fence(truncate(p.staff.detail, 2_000)), '', '</details>');
  return lines;
}
