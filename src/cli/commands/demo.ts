/**
 * `propgrade demo`: the engine on the notebook's first RNN steps (h_t = relu(U x_t + V h_{t-1}),
 * o_t = W h_t): values, the gradient of h1[0] with respect to U, and the graph as DOT or SVG.
 */
import { writeFileSync } from 'node:fs';
import { relu, tensor, toDot, type Tensor } from '../../autograd/index.ts';
import { dotToSvg } from '../../reports/graph.ts';
import { parseCommand } from '../args.ts';

const USAGE = 'propgrade demo [--dot] [--svg FILE]';

/** Values rounded for reading (float64 noise such as 0.29000000000000004 hidden). */
const show = (t: Tensor) => JSON.stringify(t.tolist(), (_k, v) => (typeof v === 'number' ? Number(v.toFixed(6)) : v)).replaceAll(',', ', ');

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand('demo', argv, { dot: { type: 'boolean' }, svg: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const U = tensor([[-0.3, 0.6], [0.2, 0.1]], { requiresGrad: true });
  const V = tensor([[0.4, 0.4], [0.9, -0.7]], { requiresGrad: true });
  const W = tensor([[0.5, -0.1], [0.2, 0.3]], { requiresGrad: true });
  const x1 = tensor([0, 1]), x2 = tensor([1, 0]), h0 = tensor([0, 0]);

  const h1 = relu(U.matmul(x1).add(V.matmul(h0)));
  const o1 = W.matmul(h1);
  const h2 = relu(U.matmul(x2).add(V.matmul(h1)));
  const o2 = W.matmul(h2);
  h1.at(0).backward();

  const dot = toDot(h1, { params: { U, V, h1 } });
  console.log(`The notebook's RNN, two steps: h_t = relu(U x_t + V h_{t-1}), o_t = W h_t
  U = ${show(U)}   V = ${show(V)}   W = ${show(W)}
  x1 = ${show(x1)}   x2 = ${show(x2)}   h0 = ${show(h0)}

  h1 = ${show(h1)}   o1 = ${show(o1)}
  h2 = ${show(h2)}   o2 = ${show(o2)}

  h1.at(0).backward()  ->  U.grad = ${show(U.grad!)}   V.grad = ${show(V.grad!)}
  (h1[0] = relu(U[0] . x1 + V[0] . h0) and x1 = [0, 1], h0 = 0: only U[0][1] moves it)

  graph of h1: ${dot.split('\n').filter((l) => l.includes('->')).length} edges, ${dot.length} characters of DOT${values.dot ? '' : ' (--dot prints it, --svg FILE renders it)'}`);
  if (values.dot) console.log(dot);
  if (values.svg) {
    writeFileSync(values.svg, await dotToSvg(dot));
    console.log(`  wrote ${values.svg}`);
  }
  return 0;
}
