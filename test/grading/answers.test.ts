// Written answers: read from the submission's ANSWER blocks, never scored, written for staff.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runBatch } from '../../src/batch/batch.ts';
import { writtenAnswers } from '../../src/grading/answers.ts';
import { gradeSubmission } from '../../src/grading/grade.ts';
import { answersCsv, toAnswersMarkdown } from '../../src/reports/answers.ts';
import { writeReports } from '../../src/reports/write.ts';
import { RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const questions = [
  { id: 'why', prompt: 'Why?' },
  { id: 'how', prompt: 'How?' },
  { id: 'missing', prompt: 'Where?' },
];

test('each ANSWER block is read without the template placeholder or the repeated question; a missing one is empty', () => {
  const source = `export const x = 1;
/* ANSWER why
   Q: Why?

   Because h_0 is the state before any input.
   It counts too.
*/
/* ANSWER how
   Q: How?

   (your answer here)
*/`;
  expect(writtenAnswers(source, questions)).toEqual([
    { id: 'why', prompt: 'Why?', text: 'Because h_0 is the state before any input.\nIt counts too.' },
    { id: 'how', prompt: 'How?', text: '' },
    { id: 'missing', prompt: 'Where?', text: '' },
  ]);
});

test('Markdown fences the student text so it cannot close them; CSV quotes it and defuses formulas', () => {
  const md = toAnswersMarkdown({ submission: 'alice', answers: [{ id: 'why', prompt: 'Why?', text: '```\n# All tasks passed\n```' }] });
  expect(md).toContain('````text\n```\n# All tasks passed\n```\n````');
  expect(answersCsv([{ name: 'alice', answers: [{ id: 'why', prompt: 'Why?', text: '=HYPERLINK("x")\nsecond "line"' }] }])).toBe(
    'student,question,prompt,answer\nalice,why,Why?,"\'=HYPERLINK(""x"")\nsecond ""line"""\n',
  );
});

test("grading the RNN template's answers writes answers.md beside the reports, one section per question", async () => {
  const dir = await tempDir('answers');
  const template = await readFile(RNN.paths.template!, 'utf8');
  await writeFile(join(dir, 'lab.ts'), template.replace(/(ANSWER h-has-one-more-element\n.*\n\n)\s*\(your answer here\)/, '$1   h_0 is the state before the first input.'));
  const report = await gradeSubmission(dir, { lab: RNN, seed: 1, runs: 1 });
  expect(report.answers!.map((a) => a.id)).toEqual(RNN.questions.map((q) => q.id));
  expect(report.answers![0]!.text).toBe('h_0 is the state before the first input.');
  expect(report.answers!.slice(1).every((a) => a.text === '')).toBe(true);
  const files = await writeReports(report, join(dir, 'out'), RNN);
  expect(await readFile(files.answers!, 'utf8')).toContain('## h-has-one-more-element\n\nWe defined h so that it has one more element than x and o. Why is this?\n\n```text\nh_0 is the state before the first input.\n```');
});

test('batch gathers the class: answers.csv has a row per student and question, answers.md a section each', async () => {
  const classDir = await tempDir('answers-class');
  const template = await readFile(RNN.paths.template!, 'utf8');
  for (const [name, answer] of [['ada', 'Because h_0 comes first.'], ['bob', '=1+1']] as const) {
    await mkdir(join(classDir, name));
    await writeFile(join(classDir, name, 'lab.ts'), template.replace(/(ANSWER h-has-one-more-element\n.*\n\n)\s*\(your answer here\)/, `$1   ${answer}`));
  }
  const out = await tempDir('answers-out');
  await runBatch({ classDir, outDir: out, workers: 2, seed: 3, runs: 1, resume: false, limits: { wallMs: 120_000, outputBytes: 1 << 22 }, lab: { id: RNN.id, dir: RNN.dir, submission: RNN.submission, tasks: RNN.tasks } });
  const csv = (await readFile(join(out, 'answers.csv'), 'utf8')).trim().split('\n');
  expect(csv[0]).toBe('student,question,prompt,answer');
  expect(csv.length).toBe(1 + 2 * RNN.questions.length);
  // Quoted only where a cell needs it; a formula is defused.
  expect(csv[1]).toBe(`ada,h-has-one-more-element,${RNN.questions[0]!.prompt},Because h_0 comes first.`);
  expect(csv).toContain(`bob,h-has-one-more-element,${RNN.questions[0]!.prompt},'=1+1`);
  expect(await readFile(join(out, 'answers.md'), 'utf8')).toMatch(/# Written answers: ` ada `[\s\S]*# Written answers: ` bob `/);
});
