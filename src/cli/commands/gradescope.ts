/** `propgrade gradescope`: the Gradescope autograder zip of a lab (see src/gradescope/package.ts). */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { autograderEntries } from '../../gradescope/package.ts';
import { loadLab } from '../../lab/load.ts';
import { zip } from '../../gradescope/zip.ts';
import { writeAtomic } from '../../reports/write.ts';
import { UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';
import { lab, out } from '../options.ts';

export const command = defineCommand({
  description: `Builds Gradescope's autograder zip of one lab: setup.sh, run_autograder, the framework files
grading needs and the lab's folder, hidden specs and the reference solution included. Upload it as a
"Zip file upload" autograder; students submit the lab's file (lab.ts). Keep the zip from students.`,
  options: { lab, out: out('the zip to write (default reports/autograder.zip)', 'FILE') },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`propgrade gradescope: unexpected '${positionals[0]}'\nusage: ${command.usage('gradescope')}`);
    const target = values.out ?? 'reports/autograder.zip';
    const labDefinition = await loadLab(values.lab);
    const entries = await autograderEntries(labDefinition);
    await mkdir(dirname(target), { recursive: true });
    await writeAtomic(target, zip(entries));
    console.log(`wrote ${target}: ${entries.length} files (setup.sh, run_autograder, lab ${labDefinition.id} with its hidden specs and reference, engine); upload it to Gradescope`);
    return 0;
  },
});
