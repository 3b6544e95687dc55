/** `propgrade merge <shard-out-dir>... --out DIR`: join the outputs of `batch --shard` runs. */
import { mergeShards } from '../../batch/merge.ts';
import { UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';
import { out } from '../options.ts';
import { classLine, notGradedExit } from './batch.ts';

export const command = defineCommand({
  positionals: '<shard-out-dir>...',
  description: `Joins the outputs of several 'propgrade batch --shard K/N' runs into DIR, as if one batch had graded
the whole class: every submission's folder, and the summary files rebuilt over all of them.
Exit 0 when every submission has a result; 2 on a usage error, shards that do not belong together
or a DIR in use; 3 when any submission is not graded (resume its shard, then merge again).`,
  options: { out: { ...out('where the joined output goes'), required: true } },
  async run({ values, positionals }) {
    if (positionals.length === 0) throw new UsageError(`propgrade merge: name the shard folders\nusage: ${command.usage('merge')}`);
    const summary = await mergeShards(positionals, values.out!);
    console.log(`merged ${positionals.length} shard(s), ${summary.submissions} submission(s): ${classLine(summary)}; summary in ${values.out}/summary.html`);
    return notGradedExit(summary, 'propgrade merge', "resume the shard that holds each with 'propgrade batch --resume', then merge again");
  },
});
