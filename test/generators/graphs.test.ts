// Expression graphs are well-formed (the engine builds and differentiates every one of them) and
// cover the op set, fan-out and both kinds of leaves.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graph, labelGraph, labelOpGraph, opGraph } from '../../generators/graphs.ts';
import { runEngine } from '../../src/oracle/check.ts';
import { OPS } from '../../src/oracle/graph.ts';

const draw = <T>(arb: fc.Arbitrary<T>, numRuns: number) => fc.sample(arb, { numRuns, seed: 42 });

describe('graph', () => {
  const graphs = draw(graph(), 400);
  it('every graph builds and backpropagates in the engine', () => {
    for (const g of graphs) expect(() => runEngine(g)).not.toThrow();
  });
  it('covers every op, fan-out, grid and double leaves', () => {
    const labels = new Set(graphs.flatMap(labelGraph));
    for (const op of OPS) expect(labels, op).toContain(`op:${op}`);
    for (const l of ['fan-out', 'tree', 'leaves=grid', 'leaves=doubles']) expect(labels).toContain(l);
  });
});

describe('opGraph', () => {
  it.each(OPS)('%s: graphs build and backpropagate in the engine', (op) => {
    const graphs = draw(opGraph(op), 60);
    for (const g of graphs) {
      expect(g.root.op).toBe(op);
      expect(() => runEngine(g)).not.toThrow();
    }
  });
  it('covers broadcasting of elementwise operands: same shape, [] tensor, trailing row, number', () => {
    const labels = new Set(draw(opGraph('add'), 300).flatMap(labelOpGraph));
    for (const l of ['operands=rank2,rank2', 'operands=rank2,rank0', 'operands=rank2,rank1', 'operands=rank2,number']) expect(labels).toContain(l);
  });
});
