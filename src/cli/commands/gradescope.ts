/** `propgrade gradescope [--out FILE]`: the Gradescope autograder zip (see src/gradescope/package.ts). */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { autograderEntries } from '../../gradescope/package.ts';
import { loadLab } from '../../lab/load.ts';
import { zip } from '../../gradescope/zip.ts';
import { writeAtomic } from '../../reports/write.ts';
import { parseCommand, UsageError } from '../args.ts';

const USAGE = 'propgrade gradescope [--lab DIR] [--out FILE]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('gradescope', argv, { lab: { type: 'string' }, out: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(`usage: ${USAGE}

Builds Gradescope's autograder zip of one lab (default reports/autograder.zip): setup.sh,
run_autograder, the framework files grading needs and the lab's folder, hidden specs and the
reference solution included. Upload it as a "Zip file upload" autograder; students submit the lab's
file (lab.ts). Keep the zip from students.
  --lab DIR   the lab (default: the bundled RNN lab, specs/rnn)`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`propgrade gradescope: unexpected '${positionals[0]}'\nusage: ${USAGE}`);
  const out = values.out ?? 'reports/autograder.zip';
  const lab = await loadLab(values.lab);
  const entries = await autograderEntries(lab);
  await mkdir(dirname(out), { recursive: true });
  await writeAtomic(out, zip(entries));
  console.log(`wrote ${out}: ${entries.length} files (setup.sh, run_autograder, lab ${lab.id} with its hidden specs and reference, engine); upload it to Gradescope`);
  return 0;
}
