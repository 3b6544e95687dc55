// PyTorch as an oracle: the helper's start and failure modes (no torch needed), the wire format
// (NaN, ±Infinity, -0), and the issue-16 rows checked against PyTorch itself, where it is here.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/autograd/index.ts';
import { loadBackend, type LoadedTf } from '../../src/oracle/backend.ts';
import { checkTorch } from '../../src/oracle/check.ts';
import type { Attrs, Expr, Graph, Leaf, OpName } from '../../src/oracle/graph.ts';
import { findTorch, TorchOracle } from '../../src/oracle/torch.ts';

const leaf = (shape: number[], ...values: number[]): Leaf => ({ op: 'leaf', value: { shape, data: Float64Array.from(values) } });
const apply = (op: OpName, args: (Expr | number)[], attrs?: Attrs): Expr => ({ op, args, ...(attrs && { attrs }) });

const found = await findTorch();
const torch = 'oracle' in found ? found.oracle : undefined;
const skip = torch ? '' : ` (skipped: ${'reason' in found ? found.reason : ''})`;
afterAll(() => torch?.close());

describe('starting the PyTorch helper', () => {
  const script = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'torch-helper-')), 'helper.py');
    writeFileSync(file, text);
    return file;
  };

  it('no such interpreter: the reason names it and says how to install torch', async () => {
    const result = await findTorch(['/nonexistent/python3']);
    expect(result).toEqual({ reason: expect.stringContaining('/nonexistent/python3: spawn /nonexistent/python3 ENOENT') });
    expect((result as { reason: string }).reason).toContain('apt-get install python3-torch');
  });
  it('a helper that dies on start (torch missing) reports its last line of stderr', async () => {
    const start = TorchOracle.start('/usr/bin/python3', { script: script('import torch_that_is_not_here\n') });
    await expect(start).rejects.toThrow(/the PyTorch helper ended \(exit 1\): ModuleNotFoundError: No module named 'torch_that_is_not_here'/);
  });
  it('a helper that never says hello is killed after the start timeout', async () => {
    const start = TorchOracle.start('/usr/bin/python3', { script: script('import time\ntime.sleep(60)\n'), timeoutMs: 1500 });
    await expect(start).rejects.toThrow('the PyTorch helper did not start within 1.5 s');
  });
});

describe.skipIf(!torch)(`the engine against PyTorch on the rows of issue 16${skip}`, () => {
  let tf: LoadedTf;
  beforeAll(async () => {
    tf = await loadBackend('cpu');
  });
  const check = (graph: Graph) => checkTorch(torch!, tf, graph);

  it('non-finite numbers and -0 cross the pipe both ways: log(relu(x)) with an infinite seed', async () => {
    const x = leaf([3], -1, NaN, 2);
    const run = await torch!.replay({ root: apply('log', [apply('relu', [x])]), seed: [1] }, Float64Array.of(Infinity, 1, -0));
    expect(run.values.map((v) => Array.from(v))).toEqual([[-1, NaN, 2], [0, NaN, 2], [-Infinity, NaN, Math.log(2)]]);
    // relu cuts at x <= 0 (0, not inf * 0); NaN passes; at 2: -0 * 1/2 = -0
    expect(Array.from(run.grads[0]!)).toEqual([0, NaN, -0]);
  });

  it.each<[string, Graph]>([
    ['sum over dim 0 of a 0-d tensor', { root: apply('sum', [leaf([], 3)], { dim: 0 }), seed: [2] }],
    ['softmax over dim -1 of a 0-d tensor', { root: apply('softmax', [leaf([], 3)], { dim: -1 }), seed: [2] }],
    ['pow(1, NaN) and pow(-1, ±Infinity) (a number exponent)', { root: apply('pow', [leaf([2], 1, -1)], { k: Infinity }), seed: [1] }],
    ['maximum with a NaN operand', { root: apply('maximum', [leaf([2], NaN, 1), leaf([2], 1, NaN)]), seed: [1, 2] }],
    ['max over a NaN', { root: apply('max', [leaf([4], 1, NaN, 3, NaN)]), seed: [1] }],
    ['max along a dim with a NaN', { root: apply('max', [leaf([2, 3], 1, NaN, 3, 2, 5, 4)], { dim: 1 }), seed: [4, 2] }],
    ['abs at NaN', { root: apply('abs', [leaf([3], NaN, -2, 0)]), seed: [1] }],
    ['relu under an infinite seed', { root: apply('relu', [leaf([2], -1, 1)]), seed: [Infinity, 1] }],
    ['pow(x, 0) under an infinite seed', { root: apply('pow', [leaf([2], 0, 2)], { k: 0 }), seed: [Infinity] }],
    ['prod of all with two zeros under an infinite seed', { root: apply('prod', [leaf([3], 0, 0, 2)]), seed: [Infinity] }],
    ['prod along a dim with two zeros under an infinite seed', { root: apply('prod', [leaf([3], 0, 0, 2)], { dim: 0 }), seed: [Infinity] }],
  ])('agrees: %s', async (_name, graph) => {
    const verdict = await check(graph);
    expect(verdict.disagreements).toEqual([]);
    expect(verdict.status).toBe('agree');
  });

  it("the last row, prod over ±Infinity without a zero, is the engine's deliberate departure: kept out, with its reason", async () => {
    const verdict = await check({ root: apply('prod', [leaf([3], Infinity, 2, 3)]), seed: [1] });
    expect(verdict).toMatchObject({ status: 'excluded', reason: expect.stringContaining('PyTorch divides, the engine does not (deliberate)') });
  });

  it('torch.max(x, dim) over a tie is implementation-defined: kept out, with its reason; a single winner is compared', async () => {
    const tie = await check({ root: apply('max', [leaf([2, 2], 1, 1, 0, 2)], { dim: 1 }), seed: [1] });
    expect(tie).toMatchObject({ status: 'excluded', reason: expect.stringContaining('torch.max(x, dim) picks the index') });
    expect((await check({ root: apply('max', [leaf([2, 2], 1, 0, 0, 2)], { dim: 1 }), seed: [1] })).status).toBe('agree');
  });

  it('a disagreement names the op: a value by its node, a gradient by its leaf and the ops it feeds', async () => {
    const x = leaf([2], 0, 1);
    const verdict = await checkTorch(torch!, tf, { root: apply('relu', [x]), seed: [1] }, { relu: ([t]) => (t as Tensor).clamp({ min: 0 }) });
    expect(verdict.status).toBe('disagree');
    expect(verdict.disagreements.map((d) => d.where)).toEqual(['gradient of leaf#0 (into relu#1)']);
    expect(verdict.disagreements[0]).toMatchObject({ index: 0, engine: 1, oracle: 0, tolerance: 0 }); // exact: on the grid
  });

  it('compares off the grid within a tight float64 tolerance, never loosely', async () => {
    const x = leaf([3], 0.1, 0.7, -1.3);
    const verdict = await check({ root: apply('softmax', [apply('exp', [x])]), seed: [1, -0.5, 2] });
    expect(verdict.status).toBe('agree');
    const off = await checkTorch(torch!, tf, { root: apply('exp', [x]), seed: [1] }, {
      exp: ([t]) => (t as Tensor).exp().mul(1 + 2 ** -40),
    });
    expect(off.status).toBe('disagree'); // 1e-12 relative: far inside float32's tolerance, outside float64's
  });
});
