/** Every engine op has its translation in both oracles: an op added to the engine and not to them fails here. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import * as ops from '../../src/autograd/ops/index.ts';
import { OPS } from '../../src/oracle/graph.ts';
import { OP_TABLE } from '../../src/oracle/ops.ts';

/** The oracles name transpose by its method form, `T`. */
const engineOps = Object.keys(ops).map((name) => (name === 'transpose' ? 'T' : name)).sort();
const torchSource = readFileSync(new URL('../../src/oracle/torch-replay.py', import.meta.url), 'utf8');
const torchOps = [...torchSource.slice(torchSource.indexOf('\nOPS = {'), torchSource.indexOf('\n}', torchSource.indexOf('\nOPS = {'))).matchAll(/^ {4}"(\w+)":/gm)].map((m) => m[1]);

test('the oracle graphs, TensorFlow.js and PyTorch know every engine op', () => {
  expect(engineOps.length).toBeGreaterThan(25);
  expect([...OPS].sort()).toEqual(engineOps);
  expect(Object.keys(OP_TABLE).sort()).toEqual(engineOps);
  expect([...torchOps].sort()).toEqual(engineOps);
});
