/**
 * `propgrade verify-engine [--backend tensorflow|wasm|cpu] [--runs N] [--seed S] [--property ID] [--path P]`:
 * the engine against the TensorFlow.js oracle on the properties of specs/engine. Prints one line
 * per property as it ends, each failure's shrunk counterexample with the command that replays it,
 * the generators' label coverage and the share of exact-kink cases; names the backend that ran.
 * Exit 1 on any disagreement.
 */
import { randomInt } from 'node:crypto';
import { ENGINE_PROPERTIES } from '../../../specs/engine/index.ts';
import { BACKENDS, isBackendName, loadBackend } from '../../oracle/backend.ts';
import { DIVERGENCES } from '../../oracle/ops.ts';
import { verifyProperty, type PropertyReport } from '../../oracle/verify.ts';
import { intOption, parseCommand, UsageError } from '../args.ts';

const USAGE = 'propgrade verify-engine [--backend tensorflow|wasm|cpu] [--runs N] [--seed S] [--property ID] [--path P]';

const HELP = `usage: ${USAGE}

Checks every engine op, the lab's RNN and random expression graphs against TensorFlow.js:
values of every node and gradients of every leaf, within float32 tolerances derived from each
computation (exact on the dyadic grid).
  --backend B    tensorflow (tfjs-node), wasm or cpu (default: the first that loads, in that order)
  --runs N       cases for the graph property; the others run a share of N (default 200)
  --seed S       fast-check seed (default: a fresh one, printed)
  --property ID  only this property (${ENGINE_PROPERTIES.map((p) => p.id).join(', ')})
  --path P       with --property and --seed: replay the one counterexample of a failure report
  --divergences  list where TensorFlow.js differs from PyTorch and what the oracle does about it`;

const percent = (n: number, of: number) => `${of === 0 ? 0 : Math.round((100 * n) / of)}%`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(
    'verify-engine',
    argv,
    {
      backend: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      property: { type: 'string' },
      path: { type: 'string' },
      divergences: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.divergences) {
    for (const { op, divergence } of DIVERGENCES) console.log(`${op.padEnd(8)} ${divergence}`);
    return 0;
  }
  if (values.backend !== undefined && !isBackendName(values.backend)) {
    throw new UsageError(`--backend takes one of ${BACKENDS.join(', ')}, got '${values.backend}'\nusage: ${USAGE}`);
  }
  const runs = intOption('runs', values.runs, 200);
  if (runs < 1) throw new UsageError(`--runs must be at least 1, got ${runs}`);
  const seed = values.seed === undefined ? randomInt(2 ** 31) : intOption('seed', values.seed, 0);
  const properties = values.property === undefined ? ENGINE_PROPERTIES : ENGINE_PROPERTIES.filter((p) => p.id === values.property);
  if (properties.length === 0) throw new UsageError(`no engine property '${values.property}'; one of ${ENGINE_PROPERTIES.map((p) => p.id).join(', ')}`);
  if (values.path !== undefined && (values.property === undefined || values.seed === undefined)) {
    throw new UsageError('--path replays one counterexample: give it with --property and --seed, as the failure report prints them');
  }

  const oracle = await loadBackend(values.backend);
  const skipped = oracle.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  console.log(`verify-engine: oracle TensorFlow.js ${oracle.tf.version.tfjs} on the ${oracle.backend} backend${skipped ? ` (skipped ${skipped})` : ''}, seed ${seed}`);

  const reports: PropertyReport[] = [];
  for (const property of properties) {
    const n = values.path === undefined ? Math.max(10, Math.round(runs * property.weight)) : 1;
    const report = verifyProperty(oracle, property, { runs: n, seed, path: values.path });
    reports.push(report);
    const excluded = [...report.excluded.values()].reduce((a, b) => a + b, 0);
    console.log(
      `${report.failure ? '✗' : '✓'} ${report.id.padEnd(14)} ${String(report.runs).padStart(4)} cases  exact-kink ${percent(report.exactKinkCases, report.runs).padStart(4)}  exact values ${percent(report.exactlyCompared, report.compared).padStart(4)}  excluded ${excluded}  ${(report.ms / 1000).toFixed(1)} s`,
    );
  }

  const failures = reports.filter((r) => r.failure);
  for (const r of failures) {
    const f = r.failure!;
    console.log(`\n✗ ${r.id}: ${r.title}\n  counterexample (shrunk): ${f.counterexample}\n  ${f.message.replace(/\n/g, '\n  ')}`);
    console.log(`  replay: node bin/propgrade.js verify-engine --backend ${oracle.backend} --property ${r.id} --seed ${f.seed} --path "${f.path}"`);
  }

  console.log('\ncoverage (share of cases per generator label):');
  for (const r of reports) {
    const labels = [...r.labels].sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l} ${percent(n, r.runs)}`);
    console.log(`  ${r.id}: ${labels.join(', ')}`);
  }
  const exclusions = new Map<string, number>();
  for (const r of reports) for (const [why, n] of r.excluded) exclusions.set(`${r.id}: ${why}`, n);
  if (exclusions.size > 0) {
    console.log('\nleft out of the comparison (counted, see --divergences):');
    for (const [why, n] of exclusions) console.log(`  ${n} × ${why}`);
  }
  const sum = (f: (r: PropertyReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const kinked = sum((r) => r.kinkedCases), exactKinks = sum((r) => r.exactKinkCases);
  console.log(
    `\n${failures.length === 0 ? 'engine agrees with the oracle' : `${failures.length} properties disagree`}: ${sum((r) => r.runs)} cases on ${oracle.backend}; ` +
      `of the ${kinked} with a relu/clamp/abs/tie decision, ${percent(exactKinks, kinked)} decided one exactly at its kink (seed ${seed})`,
  );
  return failures.length === 0 ? 0 : 1;
}
