/**
 * Does a student kit hold anything hidden? Built from the lab's own list of what is hidden, never
 * from a hand list: every hidden property's title (and its id, unless a public property shares it),
 * every line of the hidden files (reference, hidden module, staff modules, corpus) that no public
 * file or template also holds, and the course secret. Each one found is a leak, named with its file.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Lab } from '../lab/load.ts';
import type { LabFiles } from './files.ts';

export interface Leak {
  /** The kit file that holds it, relative to the kit. */
  file: string;
  /** What it is: `hidden property title "..."`, `a line of reference/lab.ts`, `the course secret`. */
  what: string;
}

/** A line long enough to say something of its own (not `}`, `return out;`, an import of the engine). */
const distinctive = (line: string) => line.length >= 24 && !/^(import|export \{|\/\/|\*|\/\*\*?)\b/.test(line) && /[A-Za-z]/.test(line);

const linesOf = (text: string) => text.split('\n').map((l) => l.trim());

/**
 * The needles: what must not be found in a kit. `template` is the student's lab.ts (its lines are
 * public by definition, however close to the reference).
 */
export function hiddenNeedles(lab: Lab, files: LabFiles, template: string, secret: string | undefined): { needle: string; what: string }[] {
  const publicLines = new Set([...files.public.flatMap((f) => linesOf(readFileSync(f, 'utf8'))), ...linesOf(template)]);
  const needles: { needle: string; what: string }[] = [];
  const publicIds = new Set(lab.tasks.flatMap((t) => t.properties.filter((p) => p.visibility === 'public').map((p) => p.id)));
  for (const task of lab.tasks) {
    for (const p of task.properties.filter((q) => q.visibility === 'hidden')) {
      needles.push({ needle: p.title, what: `the title of hidden property ${task.id} › ${p.id}` });
      if (!publicIds.has(p.id)) needles.push({ needle: `'${p.id}'`, what: `the id of hidden property ${task.id} › ${p.id}` });
    }
  }
  for (const file of files.hidden) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of new Set(linesOf(text))) {
      if (distinctive(line) && !publicLines.has(line)) needles.push({ needle: line, what: `a line of ${relative(lab.dir, file)}` });
    }
  }
  if (secret) needles.push({ needle: secret, what: 'the course secret' });
  return needles;
}

/** Every needle found in `files` (text files; `root` names them relative). */
export function findLeaks(files: string[], root: string, needles: { needle: string; what: string }[]): Leak[] {
  const leaks: Leak[] = [];
  for (const file of files) {
    const text = readFileSync(file).toString('latin1');
    for (const { needle, what } of needles) if (text.includes(needle)) leaks.push({ file: relative(root, file), what });
  }
  return leaks;
}
