/**
 * Prints the Markdown table of specs/rnn/corpus/README.md: per task, the planted bugs of the
 * corpus that the notebook's example alone misses and the property specs catch.
 *
 *   npx tsx scripts/example-table.ts             grades the corpus (full specs, then examples only)
 *   npx tsx scripts/example-table.ts --declared  from the expected.json files, without grading
 *                                                (the corpus test proves the two agree)
 */
import { asDeclared, exampleTable, loadCorpus, measure, openReference, type Measured } from '../test/corpus/corpus.ts';

const corpus = loadCorpus();
const measured: Measured[] = [];
if (process.argv.includes('--declared')) {
  measured.push(...corpus.map(asDeclared));
} else {
  const reference = await openReference();
  try {
    for (const submission of corpus) measured.push(await measure(submission, reference));
  } finally {
    await reference.close();
  }
}
console.log(exampleTable(measured));
