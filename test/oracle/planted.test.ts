// The oracles are shown able to fail: engines with a planted bug (planted.ts) are caught, shrunk,
// and their counterexample replays from the printed seed and path; the real engine passes it.
// TensorFlow.js on wasm and cpu, and PyTorch where a python3 with torch is here (.ci/run installs it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_PROPERTIES, TORCH_PROPERTIES } from '../../specs/engine/index.ts';
import { loadBackend } from '../../src/oracle/backend.ts';
import { findTorch, type TorchOracle } from '../../src/oracle/torch.ts';
import { tfjsOracle, torchOracle, verifyProperty, type GraphProperty, type Oracle } from '../../src/oracle/verify.ts';
import { PLANTED } from './planted.ts';

const found = await findTorch();
const torch: TorchOracle | undefined = 'oracle' in found ? found.oracle : undefined;
afterAll(() => torch?.close());

const ORACLES = [
  { name: 'TensorFlow.js on wasm', properties: ENGINE_PROPERTIES, load: async () => tfjsOracle(await loadBackend('wasm')) },
  { name: 'TensorFlow.js on cpu', properties: ENGINE_PROPERTIES, load: async () => tfjsOracle(await loadBackend('cpu')) },
  {
    name: torch ? torch.name : `PyTorch (skipped: ${'reason' in found ? found.reason : ''})`,
    properties: TORCH_PROPERTIES,
    load: async () => torchOracle(torch!, await loadBackend('cpu')),
    skip: !torch,
  },
];

describe.each(ORACLES)('planted bugs against $name', ({ properties, load, skip }) => {
  let oracle: Oracle;
  beforeAll(async () => {
    if (!skip) oracle = await load();
  });
  const property = (id: string): GraphProperty => properties.find((p) => p.id === id)!;

  describe.each(PLANTED)('$bug', ({ ops, properties: ids }) => {
    it.skipIf(skip).each(ids)('is caught by %s, and the counterexample replays', async (id) => {
      const report = await verifyProperty(oracle, property(id), { runs: 100, seed: 7, ops });
      expect(report.failure, `${id} missed the planted bug`).toBeDefined();
      const { seed, path, message } = report.failure!;
      expect(message).toMatch(/gradient of leaf|value of/);
      const replayed = await verifyProperty(oracle, property(id), { runs: 1, seed, path, ops });
      expect(replayed.failure?.counterexample).toBe(report.failure!.counterexample);
      // The real engine passes the very same case.
      expect((await verifyProperty(oracle, property(id), { runs: 1, seed, path })).failure).toBeUndefined();
    });
  });
});
