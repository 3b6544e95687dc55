/** `propgrade gradescope [--out FILE]`: the Gradescope autograder zip (see src/gradescope/package.ts). */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { autograderEntries } from '../../gradescope/package.ts';
import { zip } from '../../gradescope/zip.ts';
import { writeAtomic } from '../../reports/write.ts';
import { parseCommand, UsageError } from '../args.ts';

const USAGE = 'propgrade gradescope [--out FILE]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('gradescope', argv, { out: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(`usage: ${USAGE}

Builds Gradescope's autograder zip (default reports/autograder.zip): setup.sh, run_autograder, and
the project files grading needs, hidden specs and the reference solution included. Upload it as a
"Zip file upload" autograder; students submit lab.ts. Keep the zip from students.`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`propgrade gradescope: unexpected '${positionals[0]}'\nusage: ${USAGE}`);
  const out = values.out ?? 'reports/autograder.zip';
  const entries = await autograderEntries();
  await mkdir(dirname(out), { recursive: true });
  await writeAtomic(out, zip(entries));
  console.log(`wrote ${out}: ${entries.length} files (setup.sh, run_autograder, specs, reference, engine); upload it to Gradescope`);
  return 0;
}
