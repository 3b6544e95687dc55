/**
 * The written answers for staff: `answers.md` beside a submission's reports, and the class's
 * `answers.csv` (one row per student and question, the shape a spreadsheet or a Gradescope manual
 * question's import takes). Student text is shown as text: fenced in Markdown, quoted in CSV.
 */
import type { GradeReport } from '../model/report.ts';

/** A fence longer than any run of backticks in `text`, so the text cannot close it. */
const fenced = (text: string) => {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
};

export function toAnswersMarkdown(report: Pick<GradeReport, 'submission' | 'answers'>): string {
  const answers = report.answers ?? [];
  const sections = answers.map((a) => `## ${a.id}\n\n${a.prompt}\n\n${a.text ? fenced(a.text) : '_(no answer)_'}`);
  return `# Written answers: ${report.submission}\n\nGraded by hand; nothing here is scored automatically.\n\n${sections.join('\n\n')}\n`;
}

/** One CSV cell: quoted, quotes doubled, and a leading formula character defused. */
export function csvCell(value: string | number): string {
  const text = String(value);
  const defused = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${defused.replace(/"/g, '""')}"`;
}

/** The class's answers: a header, then one row per student and question, in the order given. */
export function answersCsv(students: { name: string; answers?: GradeReport['answers'] }[]): string {
  const rows = [['student', 'question', 'prompt', 'answer'].map(csvCell).join(',')];
  for (const { name, answers } of students) for (const a of answers ?? []) rows.push([name, a.id, a.prompt, a.text].map(csvCell).join(','));
  return `${rows.join('\n')}\n`;
}
