/**
 * `propgrade assign [--lab DIR] --out DIR [--no-verify]`: the student kit (DIR/student/) and the
 * Gradescope autograder (DIR/autograder.zip) of a lab, checked first (src/assign/assign.ts).
 * Exit 0 when both are ready to hand out; 1 when the kit would leak something hidden or the
 * reference does not pass through them (each problem is printed).
 */
import { assign } from '../../assign/assign.ts';
import { loadLab } from '../../lab/load.ts';
import { displayPath, UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';
import { lab, out } from '../options.ts';

export const command = defineCommand({
  description: `Builds, from the lab's definition and its reference:
  DIR/student/         the student kit: lab.ts (the template), README.md (the guide), the lab's
                       public properties and the engine with 'propgrade check' (packed in
                       vendor/, installed by 'npm install' from the kit's own files); copy it
                       anywhere, then 'npm install' and 'npx propgrade check'
  DIR/autograder.zip   what 'propgrade gradescope' builds, for this lab
and checks them: nothing hidden in the kit (hidden properties, reference or staff code, the course
secret), the template declares every export with its signature, and the reference passes through the
kit's lab and scores full marks through the zip run as Gradescope runs it.`,
  options: {
    lab,
    out: { ...out('where the kit and the zip go'), required: true },
    'no-verify': { type: 'boolean', description: 'skip grading the reference through the kit and the zip (the leak check still runs)' },
  },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`propgrade assign takes no positional arguments\nusage: ${command.usage('assign')}`);
    const labDefinition = await loadLab(values.lab);
    const result = await assign(labDefinition, values.out!, { verify: !values['no-verify'], log: (line) => console.error(`propgrade assign: ${line}`) });
    console.log(`propgrade assign ${labDefinition.id}: kit ${displayPath(result.kit)} (${result.kitFiles} files checked; the framework packed in ${(result.tarballBytes / 1024).toFixed(0)} KB), autograder ${displayPath(result.zip)}`);
    for (const problem of result.problems) console.log(`  ✗ ${problem}`);
    console.log(result.problems.length === 0 ? '  ready to hand out' : `  ${result.problems.length} problem(s): fix them before handing anything out`);
    return result.problems.length === 0 ? 0 : 1;
  },
});
