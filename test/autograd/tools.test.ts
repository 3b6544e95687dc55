// gradcheck catches a broken op; toDot draws the graph; dotToSvg renders it.
import { describe, expect, it } from 'vitest';
import { Tensor, defineOp, gradcheck, relu, tensor, toDot, zeros } from '../../src/autograd/index.ts';
import { dotToSvg } from '../../src/reports/graph.ts';

/** relu whose backward forgets the mask: right for x > 0, wrong for x < 0. */
const leakyBackward = defineOp({
  name: 'BrokenRelu',
  forward([x]) {
    return new Tensor(x!.data.map((v) => Math.max(v, 0)), x!.shape);
  },
  backward(g, [gx]) {
    for (let i = 0; i < g.length; i++) gx![i] += g[i]!;
  },
});

describe('gradcheck', () => {
  it('passes a correct op and reports its Jacobians', () => {
    const result = gradcheck((a, b) => a!.mul(b!), [tensor([1, 2]), tensor([3, 4])]);
    expect(result.ok).toBe(true);
    // d(a*b)/da = diag(b), d(a*b)/db = diag(a)
    expect(result.analytical[0]!.tolist()).toEqual([[3, 0], [0, 4]]);
    expect(result.analytical[1]!.tolist()).toEqual([[1, 0], [0, 2]]);
    result.numerical[0]!.data.forEach((v, i) => expect(v).toBeCloseTo(result.analytical[0]!.data[i]!, 8));
    expect(result.message).toMatch(/^gradcheck passed on inputs \[2\], \[2\], output \[2\]/);
  });
  it('finds the wrong entry of a planted broken op', () => {
    const result = gradcheck((x) => leakyBackward([x!], undefined), [tensor([1, -2, 3])]);
    expect(result.ok).toBe(false);
    expect(result.worst).toEqual({ input: 0, element: 1, outputElement: 1, analytical: 1, numerical: 0 });
    expect(result.message).toContain('FAILED');
  });
  it('reads an input that does not reach the output as a zero gradient', () => {
    const result = gradcheck((a) => a!.sum(), [tensor([1, 2]), tensor([5])]);
    expect(result.ok).toBe(true);
    expect(result.analytical[1]!.tolist()).toEqual([0]);
  });
  it('leaves its inputs untouched', () => {
    const x = tensor([1, 2]);
    gradcheck((a) => a!.pow(2).sum(), [x]);
    expect(x.tolist()).toEqual([1, 2]);
    expect(x.grad).toBeNull();
  });
});

describe('toDot', () => {
  const notebook = () => {
    const U = tensor([[-0.3, 0.6], [0.2, 0.1]], { requiresGrad: true });
    const V = tensor([[0.4, 0.4], [0.9, -0.7]], { requiresGrad: true });
    const h1 = relu(U.matmul(tensor([0, 1])).add(V.matmul(zeros(2))));
    return { U, V, h1 };
  };
  it("draws the notebook's h1 like make_dot: named leaves with shapes, ops, the named result", () => {
    const { U, V, h1 } = notebook();
    const dot = toDot(h1, { params: { U, V, h1 } });
    expect(dot).toMatch(/^digraph \{/);
    expect(dot).toContain('[label="U\\n(2, 2)" fillcolor=lightblue]');
    expect(dot).toContain('[label="V\\n(2, 2)" fillcolor=lightblue]');
    expect(dot).toContain('[label="h1\\n(2)" fillcolor=darkolivegreen1]');
    const ops = [...dot.matchAll(/label="(\w+Backward)"/g)].map((m) => m[1]).sort();
    expect(ops).toEqual(['AddBackward', 'MatmulBackward', 'MatmulBackward', 'ReluBackward']);
    // Every edge joins declared nodes: 2 leaves -> 2 matmuls -> add -> relu -> the named output box.
    const declared = new Set([...dot.matchAll(/^ {2}(\w+) \[/gm)].map((m) => m[1]));
    const edges = [...dot.matchAll(/^ {2}(\w+) -> (\w+)/gm)];
    expect(edges).toHaveLength(6);
    for (const [, from, to] of edges) expect(declared.has(from) && declared.has(to)).toBe(true);
  });
  it('leaves out tensors that do not require grad and unnamed leaves keep their shape', () => {
    const { h1 } = notebook();
    const dot = toDot(h1);
    expect(dot).toContain('[label="(2, 2)" fillcolor=lightblue]');
    expect(dot).not.toContain('(2)" fillcolor=lightblue'); // x1 and h0 are constants
  });
  it('draws several roots like make_dot given a tuple: each one, even one that reaches no other, a constant, a tensor named twice', () => {
    const { U, V, h1 } = notebook();
    const o1 = U.matmul(h1); // no other root depends on it
    const h2 = relu(V.matmul(h1));
    const constant = tensor([1, 2]); // a leaf no op made, requiresGrad false
    const dot = toDot([h1, o1, h2, constant], { params: { U, V, h1, o1, h2, same: h2, constant } });
    const labels = [...dot.matchAll(/label="([^"]*)" fillcolor=darkolivegreen1/g)].map((m) => m[1]).sort();
    expect(labels).toEqual(['constant\\n(2)', 'h1\\n(2)', 'h2, same\\n(2)', 'o1\\n(2)']);
    // h1 is a root and an ancestor of the others: one op node, one box.
    expect(dot.match(/ReluBackward/g)).toHaveLength(2);
    expect(() => toDot([])).toThrow('toDot: root must be a Tensor or a non-empty array of Tensors');
  });
  it('renders to SVG', async () => {
    const { U, V, h1 } = notebook();
    const svg = await dotToSvg(toDot(h1, { params: { U, V, h1 } }));
    expect(svg).toMatch(/<svg[\s>]/);
    expect(svg).toContain('MatmulBackward');
    await expect(dotToSvg('digraph { a -> }')).rejects.toThrow('dotToSvg: Graphviz could not render the graph');
  });
});
