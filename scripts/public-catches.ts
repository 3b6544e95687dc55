/**
 * Measures, for every planted bug of a lab's corpus, whether the lab's public properties alone (what
 * a student's `check` runs) catch it at every corpus seed, and with --write records it as the bug's
 * `publicCatches` in its expected.json (the corpus test then holds the corpus to it).
 *
 *   npx tsx scripts/public-catches.ts [--lab DIR] [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_LAB, loadLab } from '../src/lab/load.ts';
import { corpusSeeds, failingTasks, loadCorpus, openReference, publicFailures } from '../test/corpus/corpus.ts';

const { values } = parseArgs({ options: { lab: { type: 'string' }, write: { type: 'boolean' } } });
const lab = await loadLab(values.lab ?? DEFAULT_LAB);
const reference = await openReference(lab);
try {
  for (const submission of loadCorpus(lab, { measuring: true }).filter((s) => s.expected.bug !== null)) {
    const perSeed: string[][] = [];
    for (const seed of corpusSeeds(lab)) perSeed.push(await publicFailures(lab, submission.lab, reference, seed));
    const catches = Object.fromEntries(failingTasks(lab, submission.expected).map((task) => [task, perSeed.every((failed) => failed.includes(task))]));
    const flaky = failingTasks(lab, submission.expected).filter((task) => !catches[task] && perSeed.some((failed) => failed.includes(task)));
    console.log(`${submission.name}: ${JSON.stringify(catches)}${flaky.length ? `  (at some seeds only: ${flaky.join(', ')})` : ''}`);
    if (values.write) {
      const file = join(submission.dir, 'expected.json');
      const expected = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, `${JSON.stringify({ ...expected, publicCatches: catches }, null, 2)}\n`);
    }
  }
} finally {
  await reference.close();
}
