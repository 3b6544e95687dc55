/**
 * `propgrade harden`: the specs against mutants of the lab's reference solution; writes
 * harden.json, harden.md and harden.html. Exit 0 whenever the report was written (the score is
 * information), non-zero only on failure.
 */
import { availableParallelism } from 'node:os';
import { harden } from '../../harden/harden.ts';
import { labHarden } from '../../harden/lab.ts';
import { GENERIC_OPERATORS } from '../../harden/mutants/index.ts';
import { headline, survivorsOf, writeHardenReport } from '../../harden/report.ts';
import { loadLab } from '../../lab/load.ts';
import { UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';
import { lab, out, runs, seed, wholeNumber } from '../options.ts';

export const command = defineCommand({
  description: `Grades mutants of the lab's reference solution through the real pipeline and writes
harden.json, harden.md and harden.html into --out (default reports/):
  domain mutants   mistakes planted by ts-morph operators: propgrade's generic ones (${GENERIC_OPERATORS.map((o) => o.id).join(', ')})
                   and the lab's own, from its harden module (specs/README.md says how a lab adds them)
  Stryker mutants  generic mutants from Stryker, with the spec suite as its tests (test/stryker)
A mutant no property kills is compared with the reference on small cases (the lab's own, or drawn
from the exports' signatures): no difference makes it equivalent (not counted); a difference makes
it a survivor, with the input that shows it. The score is killed / (killed + survived); the
baseline is the same for the lab's fixed examples alone, on the same mutants.`,
  options: {
    lab,
    out: out('where the reports go (default reports/)'),
    seed: { ...seed, description: 'grading seed (default 1)' },
    workers: { type: 'string', value: 'N', description: 'gradings at once (default: the number of cores)', parse: wholeNumber(1) },
    runs,
    'no-stryker': { type: 'boolean', description: 'domain mutants only' },
    operator: { type: 'string', value: 'ID', multiple: true, description: "only this domain operator (repeatable); 'propgrade harden --operator list' lists them" },
  },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`propgrade harden takes no positional arguments, got '${positionals.join(' ')}'\nusage: ${command.usage('harden')}`);
    const definition = await loadLab(values.lab);
    const known = (await labHarden(definition)).operators.map((o) => o.id);
    if (values.operator?.includes('list')) {
      console.log(known.join('\n'));
      return 0;
    }
    const unknown = (values.operator ?? []).filter((id) => !known.includes(id));
    if (unknown.length > 0) throw new UsageError(`unknown --operator ${unknown.join(', ')} (known: ${known.join(', ')})`);

    const report = await harden({
      lab: definition,
      seed: values.seed ?? 1,
      runs: values.runs,
      workers: values.workers ?? availableParallelism(),
      stryker: !values['no-stryker'],
      operators: values.operator,
      log: (line) => console.error(line),
    });
    const files = await writeHardenReport(report, values.out ?? 'reports');

    console.log(`propgrade harden ${definition.id} (seed ${report.seed}, ${(report.durationMs / 1000).toFixed(0)} s, Stryker ${report.stryker.status})`);
    console.log(`  ${headline(report)}`);
    for (const m of survivorsOf(report)) {
      console.log(`  ${m.status.toUpperCase()} ${m.id} (${m.tasks.join(', ')}): ${m.title}`);
      console.log(`    ${m.diff.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).join('\n    ')}`);
    }
    console.log(`reports: ${files.json}, ${files.markdown}, ${files.html}`);
    return 0;
  },
});
