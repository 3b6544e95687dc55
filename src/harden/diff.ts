/**
 * A mutant's diff from the reference, as `git apply` reads it: a unified diff made by jsdiff
 * (`--- a/lab.ts`, `+++ b/lab.ts`, two lines of context, "\ No newline at end of file" where it
 * applies). A hand-rolled diff once got the hunks near the end of the file wrong.
 */
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

export const CONTEXT_LINES = 2;

export function unifiedDiff(before: string, after: string, name = 'lab.ts'): string {
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: CONTEXT_LINES, headerOptions: FILE_HEADERS_ONLY });
}
