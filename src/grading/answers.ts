/**
 * The written answers of a submission: the lab's questions answered in words, each between a
 * `/* ANSWER <id>` line and its closing star-slash in the submitted file (the template has one block
 * per question). Read, never run or scored: staff grade them by hand (batch gathers a class's into
 * answers.csv and answers.md, one row per student and question).
 */
import type { WrittenQuestion } from '../spec/types.ts';

export interface WrittenAnswer {
  id: string;
  prompt: string;
  /** The student's words, the template's placeholder and the repeated question left out; '' when unanswered. */
  text: string;
}

/** The longest answer kept (a file of any size may be submitted). */
export const MAX_ANSWER = 10_000;
const PLACEHOLDER = '(your answer here)';

export function writtenAnswers(source: string, questions: readonly WrittenQuestion[]): WrittenAnswer[] {
  return questions.map(({ id, prompt }) => {
    const start = source.search(new RegExp(`/\\*\\s*ANSWER\\s+${id.replace(/[-]/g, '\\-')}\\b`));
    if (start < 0) return { id, prompt, text: '' };
    const open = source.indexOf('\n', start);
    const end = source.indexOf('*/', start);
    if (open < 0 || end < 0 || end < open) return { id, prompt, text: '' };
    const text = source
      .slice(open + 1, Math.min(end, open + 1 + MAX_ANSWER))
      .split('\n')
      .map((line) => line.replace(/^\s*\*?\s?/, '').trimEnd())
      .filter((line) => !line.startsWith('Q: ') && line.trim() !== PLACEHOLDER)
      .join('\n')
      .trim();
    return { id, prompt, text };
  });
}
