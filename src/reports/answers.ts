/**
 * The written answers for staff: `answers.md` beside a submission's reports, and the class's
 * `answers.csv` (one row per student and question, the shape a spreadsheet or a Gradescope manual
 * question's import takes). Student text is shown as text: fenced in Markdown, quoted in CSV.
 */
import type { GradeReport } from '../model/report.ts';
import { csvCell, mdCode, mdFence } from './escape.ts';

export function toAnswersMarkdown(report: Pick<GradeReport, 'submission' | 'answers'>): string {
  const answers = report.answers ?? [];
  const sections = answers.map((a) => `## ${a.id}\n\n${a.prompt}\n\n${a.text ? mdFence(a.text) : '_(no answer)_'}`);
  return `# Written answers: ${mdCode(report.submission)}\n\nGraded by hand; nothing here is scored automatically.\n\n${sections.join('\n\n')}\n`;
}

/** The class's answers: a header, then one row per student and question, in the order given. */
export function answersCsv(students: { name: string; answers?: GradeReport['answers'] }[]): string {
  const rows = [['student', 'question', 'prompt', 'answer'].map(csvCell).join(',')];
  for (const { name, answers } of students) for (const a of answers ?? []) rows.push([name, a.id, a.prompt, a.text].map(csvCell).join(','));
  return `${rows.join('\n')}\n`;
}
