/**
 * A mutant's diff from the reference, as `git apply` reads it: a unified diff made by jsdiff
 * (`--- a/lab.ts`, `+++ b/lab.ts`, two lines of context, "\ No newline at end of file" where it
 * applies). A hand-rolled diff once got the hunks near the end of the file wrong.
 */
import { createRequire } from 'node:module';
import type * as Jsdiff from 'diff';
import { CallerError } from '../errors.ts';

export const CONTEXT_LINES = 2;

let loaded: typeof Jsdiff | undefined;

/** jsdiff is a dev dependency (only staff harden): a clear message where it is not installed (npm ci --omit=dev). */
function jsdiff(): typeof Jsdiff {
  try {
    loaded ??= createRequire(import.meta.url)('diff') as typeof Jsdiff;
    return loaded;
  } catch (error) {
    throw new CallerError(`harden needs jsdiff (the package diff, a dev dependency: run npm ci without --omit=dev): ${(error as Error).message.split('\n')[0]}`);
  }
}

export function unifiedDiff(before: string, after: string, name = 'lab.ts'): string {
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = jsdiff();
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: CONTEXT_LINES, headerOptions: FILE_HEADERS_ONLY });
}
