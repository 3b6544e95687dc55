// Building a submission: which modules skip the isolated parse, and that skipping it is safe.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleSubmission, ISOLATED_PARSE_FROM_BYTES } from '../../src/sandbox/build.ts';
import { corpusSubmission } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

/** The densest nestings, each the longest module that stays under the threshold (a unit a level). */
const NESTINGS: Record<string, [open: string, inner: string, close: string]> = {
  not: ['!', '1', ''],
  brackets: ['[', '', ']'],
  parentheses: ['(', '1', ')'],
  arrows: ['()=>', '1', ''],
  templates: ['`${', '1', '}`'],
  calls: ['', 'f', '()'],
  members: ['', 'f', '.a'],
  powers: ['2**', '1', ''],
  objects: ['{a:', '1', '}'],
  news: ['new ', 'f', ''],
  conditionals: ['f?', '1', ':1'],
};

function nestedModule([open, inner, close]: [string, string, string]): string {
  const head = 'const f: any = 0;\nexport const deep = ';
  const levels = Math.floor((ISOLATED_PARSE_FROM_BYTES - 1 - head.length - inner.length - 2) / (open.length + close.length));
  return `${head}${open.repeat(levels)}${inner}${close.repeat(levels)};\n`;
}

describe('bundleSubmission', () => {
  it("builds the densest nestings under the threshold in this process's esbuild, which keeps building", { timeout: 60_000 }, async () => {
    const dir = await tempDir('nesting');
    for (const [name, form] of Object.entries(NESTINGS)) {
      const source = nestedModule(form);
      expect(Buffer.byteLength(source), name).toBeLessThan(ISOLATED_PARSE_FROM_BYTES);
      const file = join(dir, `${name}.ts`);
      await writeFile(file, source);
      const bundle = await bundleSubmission(file, { entry: 'inprocess', source });
      expect(await readFile(bundle.file, 'utf8'), name).toContain('deep');
      await bundle.remove();
    }
    const lab = join(corpusSubmission('correct-loops'), 'lab.ts');
    const bundle = await bundleSubmission(lab, { entry: 'child', source: await readFile(lab, 'utf8') });
    await bundle.remove();
  });
});
