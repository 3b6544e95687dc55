/**
 * `propgrade harden [--out DIR] [--seed N] [--workers N] [--runs N] [--no-stryker] [--operator ID]...`:
 * the specs against mutants of the reference solution; writes harden.json, harden.md and harden.html.
 * Exit 0 whenever the report was written (the score is information), non-zero only on failure.
 */
import { availableParallelism } from 'node:os';
import { harden } from '../../harden/harden.ts';
import { OPERATORS } from '../../harden/mutants/index.ts';
import { headline, survivorsOf, writeHardenReport } from '../../harden/report.ts';
import { loadLab } from '../../lab/load.ts';
import { intOption, parseCommand, runsOption, seedOption, UsageError } from '../args.ts';

const USAGE = 'propgrade harden [--lab DIR] [--out DIR] [--seed N] [--workers N] [--runs N] [--no-stryker] [--operator ID]...';

const HELP = `usage: ${USAGE}

Grades mutants of the lab's reference solution through the real pipeline and writes
harden.json, harden.md and harden.html into --out (default reports/):
  domain mutants   students' mistakes planted by ts-morph operators (transposed U, relu dropped, ...)
  Stryker mutants  generic mutants from Stryker, with the spec suite as its tests (test/stryker)
A mutant no property kills is compared with the reference on every small case (dims 1 and 2 on a
dyadic grid with kinks, every one-hot sequence up to length 5): no difference makes it equivalent
(not counted); a difference makes it a survivor, with the input that shows it.
The score is killed / (killed + survived); the baseline is the same for the notebook's fixed
examples alone, on the same mutants.

--lab DIR       the lab (default: the bundled RNN lab, specs/rnn)
--seed N        grading seed (default 1)
--workers N     gradings at once (default: the number of cores)
--runs N        cases per generated property (default: each property's own)
--no-stryker    domain mutants only
--operator ID   only this domain operator (repeatable); known: ${OPERATORS.map((o) => o.id).join(', ')}`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    'harden',
    argv,
    {
      lab: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      runs: { type: 'string' },
      'no-stryker': { type: 'boolean' },
      operator: { type: 'string', multiple: true },
    },
    USAGE,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`propgrade harden takes no positional arguments, got '${positionals.join(' ')}'\nusage: ${USAGE}`);
  const workers = intOption('workers', values.workers, availableParallelism());
  if (workers < 1) throw new UsageError(`--workers takes a whole number of at least 1, got '${values.workers}'`);
  const unknown = (values.operator ?? []).filter((id) => !OPERATORS.some((o) => o.id === id));
  if (unknown.length > 0) throw new UsageError(`unknown --operator ${unknown.join(', ')} (known: ${OPERATORS.map((o) => o.id).join(', ')})`);

  const report = await harden({
    lab: await loadLab(values.lab),
    seed: seedOption(values.seed) ?? 1,
    runs: runsOption(values.runs),
    workers,
    stryker: !values['no-stryker'],
    operators: values.operator,
    log: (line) => console.error(line),
  });
  const files = await writeHardenReport(report, values.out ?? 'reports');

  console.log(`propgrade harden (seed ${report.seed}, ${(report.durationMs / 1000).toFixed(0)} s, Stryker ${report.stryker.status})`);
  console.log(`  ${headline(report)}`);
  for (const m of survivorsOf(report)) {
    console.log(`  ${m.status.toUpperCase()} ${m.id} (${m.tasks.join(', ')}): ${m.title}`);
    console.log(`    ${m.diff.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).join('\n    ')}`);
  }
  console.log(`reports: ${files.json}, ${files.markdown}, ${files.html}`);
  return 0;
}
