/**
 * `propgrade assign [--lab DIR] --out DIR [--no-verify]`: the student kit (DIR/student/) and the
 * Gradescope autograder (DIR/autograder.zip) of a lab, checked first (src/assign/assign.ts).
 * Exit 0 when both are ready to hand out; 1 when the kit would leak something hidden or the
 * reference does not pass through them (each problem is printed).
 */
import { assign } from '../../assign/assign.ts';
import { loadLab } from '../../lab/load.ts';
import { displayPath, parseCommand, UsageError } from '../args.ts';

const USAGE = 'propgrade assign [--lab DIR] --out DIR [--no-verify]';

const HELP = `usage: ${USAGE}

Builds, from the lab's definition and its reference:
  DIR/student/         the student kit: lab.ts (the template), README.md (the guide), the lab's
                       public properties and the engine with 'propgrade check' (packed in
                       vendor/, installed by 'npm install' from the kit's own files); copy it
                       anywhere, then 'npm install' and 'npx propgrade check'
  DIR/autograder.zip   what 'propgrade gradescope' builds, for this lab
and checks them: nothing hidden in the kit (hidden properties, reference or staff code, the course
secret), the template declares every export with its signature, and the reference passes through the
kit's lab and scores full marks through the zip run as Gradescope runs it.
  --lab DIR     the lab (default: the course config's, else specs/rnn)
  --no-verify   skip grading the reference through the kit and the zip (the leak check still runs)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('assign', argv, { lab: { type: 'string' }, out: { type: 'string' }, 'no-verify': { type: 'boolean' } }, USAGE);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 0 || values.out === undefined) throw new UsageError(`propgrade assign: name the output folder with --out DIR\nusage: ${USAGE}`);
  const lab = await loadLab(values.lab);
  const result = await assign(lab, values.out, { verify: !values['no-verify'], log: (line) => console.error(`propgrade assign: ${line}`) });
  console.log(`propgrade assign ${lab.id}: kit ${displayPath(result.kit)} (${result.kitFiles} files checked; the framework packed in ${(result.tarballBytes / 1024).toFixed(0)} KB), autograder ${displayPath(result.zip)}`);
  for (const problem of result.problems) console.log(`  ✗ ${problem}`);
  console.log(result.problems.length === 0 ? '  ready to hand out' : `  ${result.problems.length} problem(s): fix them before handing anything out`);
  return result.problems.length === 0 ? 0 : 1;
}
