/** `propgrade merge <shard-out-dir>... --out DIR`: join the outputs of `batch --shard` runs. */
import { mergeShards } from '../../batch/merge.ts';
import { parseCommand, UsageError } from '../args.ts';

const USAGE = 'propgrade merge <shard-out-dir>... --out DIR';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('merge', argv, { out: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(`usage: ${USAGE}

Joins the outputs of several 'propgrade batch --shard K/N' runs into DIR, as if one batch had graded
the whole class: every submission's folder, and the summary files rebuilt over all of them.`);
    return 0;
  }
  if (positionals.length === 0 || values.out === undefined) throw new UsageError(`propgrade merge: name the shard folders and --out\nusage: ${USAGE}`);
  const summary = await mergeShards(positionals, values.out);
  console.log(`merged ${positionals.length} shard(s), ${summary.submissions} submission(s): summary in ${values.out}/summary.html`);
  return 0;
}
