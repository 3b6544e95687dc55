/**
 * A mutant is a few text edits of the reference: this file applies them and shows them as a
 * unified diff. Domain operators and Stryker's mutants both end up here.
 */

/** Replace `[start, end)` of the source with `text` (an insertion when start === end). */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The source with every edit applied (edits must not overlap). */
export function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  sorted.forEach((edit, i) => {
    const next = sorted[i - 1];
    if (edit.start > edit.end || edit.end > source.length || (next && edit.end > next.start)) {
      throw new Error(`applyEdits: edit [${edit.start}, ${edit.end}) is out of range or overlaps another`);
    }
  });
  return sorted.reduce((text, e) => text.slice(0, e.start) + e.text + text.slice(e.end), source);
}

const CONTEXT = 2;

/**
 * A unified diff of two texts (`--- a/name`, `+++ b/name`, one hunk per run of changed lines with
 * two lines of context). Lines are matched by a longest common subsequence: lab files are short.
 */
export function unifiedDiff(before: string, after: string, name = 'lab.ts'): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Int32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  type Line = { tag: ' ' | '-' | '+'; text: string; i: number; j: number };
  const lines: Line[] = [];
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) lines.push({ tag: ' ', text: a[i]!, i: i++, j: j++ });
    else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) lines.push({ tag: '-', text: a[i]!, i: i++, j });
    else lines.push({ tag: '+', text: b[j]!, i, j: j++ });
  }

  // A line is shown when a change lies within CONTEXT lines of it; each run of shown lines is a hunk.
  const shown = lines.map((_, k) => lines.slice(Math.max(0, k - CONTEXT), k + CONTEXT + 1).some((l) => l.tag !== ' '));
  const hunks: string[] = [];
  for (let k = 0; k < lines.length; ) {
    if (!shown[k]) {
      k++;
      continue;
    }
    const hunk: Line[] = [];
    while (k < lines.length && shown[k]) hunk.push(lines[k++]!);
    const oldCount = hunk.filter((l) => l.tag !== '+').length;
    const newCount = hunk.filter((l) => l.tag !== '-').length;
    hunks.push(`@@ -${hunk[0]!.i + 1},${oldCount} +${hunk[0]!.j + 1},${newCount} @@`, ...hunk.map((l) => l.tag + l.text));
  }
  return [`--- a/${name}`, `+++ b/${name}`, ...hunks].join('\n') + '\n';
}
