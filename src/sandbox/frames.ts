/**
 * A stack the student's process sent back, told in the student's own terms: the frames that fall
 * in their lab.ts, mapped through the bundle's source map to `lab.ts:LINE:COL`. Frames of the
 * engine, the harness or the grader are left out (they are not the student's to read). The stack
 * text comes from the student's process and is not believed: it only selects positions to look up.
 */
import { SourceMap } from 'node:module';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The most frames a failure shows: the innermost ones say where it happened. */
export const MAX_FRAMES = 8;

// `    at name (file:line:col)` or `    at file:line:col`.
const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;

const pathOf = (where: string) => (where.startsWith('file://') ? fileURLToPath(where) : where);

/** A reader of stacks from the bundle `file` whose source map is `mapText` (built from `labPath`). */
export function labFrames(file: string, mapText: string, labPath: string): (stack: string) => string[] {
  const bundleName = basename(file);
  const dir = resolve(file, '..');
  const lab = resolve(labPath);
  const shown = basename(lab);
  let map: SourceMap | undefined;
  /** A bundle position mapped back; a process that runs with source maps on (--enable-source-maps, vitest) names lab.ts itself. */
  const located = (path: string, line: number, column: number): { line: number; column: number } | undefined => {
    if (resolve(path) === lab) return { line, column };
    if (basename(path) !== bundleName) return undefined;
    map ??= new SourceMap(JSON.parse(mapText));
    const entry = map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || resolve(dir, pathOf(entry.originalSource)) !== lab) return undefined;
    return { line: entry.originalLine! + 1, column: entry.originalColumn! + 1 };
  };
  return (stack) => {
    const frames: string[] = [];
    for (const line of stack.split('\n')) {
      const match = FRAME.exec(line);
      if (!match) continue;
      const position = located(pathOf(match[2]!), Number(match[3]), Number(match[4]));
      if (!position) continue;
      const where = `${shown}:${position.line}:${position.column}`;
      const name = match[1]?.replace(/^(async |new )/, '');
      frames.push(name && !/[()]/.test(name) ? `at ${name} (${where})` : `at ${where}`);
      if (frames.length === MAX_FRAMES) break;
    }
    return frames;
  };
}
