/**
 * `propgrade demo`: the engine at work on a small computation of its own (not any lab's task, so it
 * gives away no answer): a layer y = relu(A x + b), a loss L = w . y, L.backward(), the gradients,
 * and the graph as DOT or SVG.
 */
import { writeFileSync } from 'node:fs';
import { relu, tensor, toDot, type Tensor } from '../../autograd/index.ts';
import { dotToSvg } from '../../reports/graph.ts';
import { defineCommand } from '../command.ts';

/** Values rounded for reading (float64 noise such as 0.30000000000000004 hidden). */
const show = (t: Tensor) => JSON.stringify(t.tolist(), (_k, v) => (typeof v === 'number' ? Number(v.toFixed(6)) : v)).replaceAll(',', ', ');

export const command = defineCommand({
  description: 'Builds y = relu(A x + b) and L = w . y in the engine, runs L.backward() and prints the values, the\ngradients and the size of the graph.',
  options: {
    dot: { type: 'boolean', description: 'print the graph as Graphviz DOT' },
    svg: { type: 'string', value: 'FILE', description: 'render the graph to an SVG file' },
  },
  run: async ({ values }) => demo(values),
});

async function demo(values: { dot?: boolean; svg?: string }): Promise<number> {
  const A = tensor([[1.5, -2], [0.25, 1]], { requiresGrad: true });
  const b = tensor([0.5, -1], { requiresGrad: true });
  const w = tensor([2, 3]);
  const x = tensor([1, 0.5]);

  const y = relu(A.matmul(x).add(b));
  const L = w.dot(y);
  L.backward();

  const dot = toDot(L, { params: { A, b, x, y, L } });
  console.log(`The engine on one layer: y = relu(A x + b), L = w . y
  A = ${show(A)}   b = ${show(b)}   w = ${show(w)}   x = ${show(x)}

  A x + b = [1.5 - 1 + 0.5, 0.25 + 0.5 - 1] = [1, -0.25]   y = ${show(y)}   L = ${show(L)}

  L.backward()  ->  A.grad = ${show(A.grad!)}   b.grad = ${show(b.grad!)}
  (relu is open for y[0] only: the gradient reaches row 0, as w[0] x and w[0])

  graph of L: ${dot.split('\n').filter((l) => l.includes('->')).length} edges, ${dot.length} characters of DOT${values.dot ? '' : ' (--dot prints it, --svg FILE renders it)'}`);
  if (values.dot) console.log(dot);
  if (values.svg) {
    writeFileSync(values.svg, await dotToSvg(dot));
    console.log(`  wrote ${values.svg}`);
  }
  return 0;
}
