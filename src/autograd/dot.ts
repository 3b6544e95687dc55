/**
 * The graph behind a tensor as Graphviz DOT, in the spirit of torchviz's make_dot (the lab's
 * `makedot.py`): grey op nodes named `<Op>Backward`, blue leaves labelled with their name from
 * `params` and their shape, green boxes for named results (h1, o1 ...) and the roots. Like make_dot,
 * the root may be several tensors (a result's outputs): each is drawn, even one that no other reaches.
 */
import { Tensor } from './tensor.ts';

/** A tensor's box: its names (when it has any) above its shape. */
const boxLabel = (t: Tensor, names: readonly string[]) => `${names.join(', ')}\n(${t.shape.join(', ')})`.trim();
const quote = (s: string) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;

/** Every name `params` gives each tensor, in the order given: one tensor may be two outputs (h and o when W = I). */
function namesOf(params: Record<string, Tensor>): Map<Tensor, string[]> {
  const names = new Map<Tensor, string[]>();
  for (const [name, t] of Object.entries(params)) {
    if (!(t instanceof Tensor)) continue;
    const known = names.get(t);
    if (known) known.push(name);
    else names.set(t, [name]);
  }
  return names;
}

export function toDot(root: Tensor | readonly Tensor[], { params = {} }: { params?: Record<string, Tensor> } = {}): string {
  const roots: Tensor[] = root instanceof Tensor ? [root] : Array.isArray(root) ? [...new Set<Tensor>(root)] : [];
  if (roots.length === 0 || !roots.every((r) => r instanceof Tensor)) throw new Error('toDot: root must be a Tensor or a non-empty array of Tensors');
  const isRoot = new Set<Tensor>(roots);
  const names = namesOf(params);
  const ids = new Map<Tensor, string>();
  const lines: string[] = [];
  const id = (t: Tensor) => ids.get(t)!;

  // Depth-first from the roots, the first one first, over tensors that require grad: each gets one node.
  roots.forEach((r, i) => ids.set(r, `n${i}`));
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const t = stack.pop()!;
    const name = names.get(t) ?? [];
    if (t._op === null) {
      // A root that is a leaf (an output no op made: a constant, a detached copy) is still an output.
      lines.push(`  ${id(t)} [label=${quote(boxLabel(t, name))} fillcolor=${isRoot.has(t) ? 'darkolivegreen1' : 'lightblue'}]`);
      continue;
    }
    lines.push(`  ${id(t)} [label=${quote(`${t._op.name}Backward`)} fillcolor=lightgrey]`);
    if (name.length > 0 || isRoot.has(t)) {
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
