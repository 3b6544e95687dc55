/**
 * The graph behind a tensor as Graphviz DOT, in the spirit of torchviz's make_dot (the lab's
 * `makedot.py`): grey op nodes named `<Op>Backward`, blue leaves labelled with their name from
 * `params` and their shape, green boxes for named results (h1, o1 ...) and the root.
 */
import { Tensor } from './tensor.ts';

/** A tensor's box: its name (when it has one) above its shape. */
const boxLabel = (t: Tensor, name: string | undefined) => `${name ?? ''}\n(${t.shape.join(', ')})`.trim();
const quote = (s: string) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;

export function toDot(root: Tensor, { params = {} }: { params?: Record<string, Tensor> } = {}): string {
  if (!(root instanceof Tensor)) throw new Error('toDot: root must be a Tensor');
  const names = new Map<Tensor, string>();
  for (const [name, t] of Object.entries(params)) if (t instanceof Tensor) names.set(t, name);
  const ids = new Map<Tensor, string>();
  const lines: string[] = [];
  const id = (t: Tensor) => ids.get(t)!;

  // Depth-first from the root over tensors that require grad: each gets one node.
  const stack = [root];
  ids.set(root, 'n0');
  while (stack.length > 0) {
    const t = stack.pop()!;
    const name = names.get(t);
    if (t._op === null) {
      lines.push(`  ${id(t)} [label=${quote(boxLabel(t, name))} fillcolor=lightblue]`);
      continue;
    }
    lines.push(`  ${id(t)} [label=${quote(`${t._op.name}Backward`)} fillcolor=lightgrey]`);
    if (name !== undefined || t === root) {
      const box = `${id(t)}_out`;
      lines.push(`  ${box} [label=${quote(boxLabel(t, name))} fillcolor=darkolivegreen1]`);
      lines.push(`  ${id(t)} -> ${box} [style=dashed]`);
    }
    for (const input of t._inputs!) {
      if (!input.requiresGrad) continue;
      if (!ids.has(input)) {
        ids.set(input, `n${ids.size}`);
        stack.push(input);
      }
      lines.push(`  ${id(input)} -> ${id(t)}`);
    }
  }
  return [
    'digraph {',
    '  graph [size="12,12"]',
    '  node [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]',
    ...lines,
    '}',
    '',
  ].join('\n');
}
