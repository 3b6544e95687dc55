/** `propgrade merge <shard-out-dir>... --out DIR`: join the outputs of `batch --shard` runs. */
import { mergeShards } from '../../batch/merge.ts';
import { parseCommand, UsageError } from '../args.ts';
import { classLine, notGradedExit } from './batch.ts';

const USAGE = 'propgrade merge <shard-out-dir>... --out DIR';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('merge', argv, { out: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(`usage: ${USAGE}

Joins the outputs of several 'propgrade batch --shard K/N' runs into DIR, as if one batch had graded
the whole class: every submission's folder, and the summary files rebuilt over all of them.
Exit 0 when every submission has a result; 2 on a usage error, shards that do not belong together
or a DIR in use; 3 when any submission is not graded (resume its shard, then merge again).`);
    return 0;
  }
  if (positionals.length === 0 || values.out === undefined) throw new UsageError(`propgrade merge: name the shard folders and --out\nusage: ${USAGE}`);
  const summary = await mergeShards(positionals, values.out);
  console.log(`merged ${positionals.length} shard(s), ${summary.submissions} submission(s): ${classLine(summary)}; summary in ${values.out}/summary.html`);
  return notGradedExit(summary, 'propgrade merge', "resume the shard that holds each with 'propgrade batch --resume', then merge again");
}
