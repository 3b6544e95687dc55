// The engine-vs-oracle properties of specs/engine on both backends, seeded: what
// `propgrade verify-engine` runs, at a size that fits CI.
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_PROPERTIES } from '../../specs/engine/index.ts';
import { loadBackend } from '../../src/oracle/backend.ts';
import { tfjsOracle, verifyProperty, type Oracle } from '../../src/oracle/verify.ts';

const RUNS = 80; // the graph property's; the others run their weight's share

describe.each(['wasm', 'cpu'] as const)('the engine agrees with TensorFlow.js on %s', (backend) => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = tfjsOracle(await loadBackend(backend));
  });

  it.each(ENGINE_PROPERTIES.map((p) => [p.id, p] as const))('%s', async (_id, property) => {
    const report = await verifyProperty(oracle, property, { runs: Math.max(10, Math.round(RUNS * property.weight)), seed: 20261125 });
    expect(report.failure).toBeUndefined();
    expect(report.runs).toBeGreaterThan(0);
    const excluded = [...report.excluded.values()].reduce((a, b) => a + b, 0);
    expect(excluded / report.runs, `excluded: ${[...report.excluded.keys()]}`).toBeLessThan(0.25);
  });

  it("hits relu's kink exactly in the RNN properties (measured 42-54% at 200 runs)", async () => {
    for (const id of ['rnn-forward', 'rnn-loss']) {
      const report = await verifyProperty(oracle, ENGINE_PROPERTIES.find((p) => p.id === id)!, { runs: 40, seed: 1 });
      expect(report.exactKinkCases / report.runs).toBeGreaterThan(0.25);
    }
  });
});
