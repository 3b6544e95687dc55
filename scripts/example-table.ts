/**
 * Prints the Markdown table of a lab's corpus README (default the RNN lab's, specs/rnn/corpus): per
 * task, the planted bugs of the corpus that the lab's example alone misses and the property specs catch.
 *
 *   npx tsx scripts/example-table.ts [--lab DIR]             grades the corpus (full specs, then examples only)
 *   npx tsx scripts/example-table.ts [--lab DIR] --declared  from the expected.json files, without grading
 *                                                            (the corpus test proves the two agree)
 */
import { parseArgs } from 'node:util';
import { DEFAULT_LAB, loadLab } from '../src/lab/load.ts';
import { asDeclared, exampleTable, loadCorpus, measure, openReference, type Measured } from '../test/corpus/corpus.ts';

const { values } = parseArgs({ options: { lab: { type: 'string' }, declared: { type: 'boolean' } } });
const lab = await loadLab(values.lab ?? DEFAULT_LAB);
const corpus = loadCorpus(lab);
const measured: Measured[] = [];
if (values.declared) {
  measured.push(...corpus.map((s) => asDeclared(lab, s)));
} else {
  const reference = await openReference(lab);
  try {
    for (const submission of corpus) measured.push(await measure(lab, submission, reference));
  } finally {
    await reference.close();
  }
}
console.log(exampleTable(lab, measured));
