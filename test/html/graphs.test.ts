/**
 * report.html's computation graphs show every output of the drawn export, each under its name: the
 * graph is drawn from all of them, not from one root (forwardByHand's o1 leads to no other output,
 * so a graph from o2 never showed it; a tensor returned twice, or a constant, went missing too).
 * The SVG that report.html embeds is read back: each output name must label one of its nodes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Lab } from '../../src/lab/load.ts';
import { graphCall, labGraphs } from '../../src/reports/html/graphs.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import type { GraphView } from '../../src/spec/types.ts';
import { ATTENTION, attentionSubmission } from '../helpers/attention.ts';
import { corpusSubmission, RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

/** The names an export's signature gives its outputs: a record's fields, else the export's own name. */
function outputNames(view: GraphView): string[] {
  const signature = view.export;
  if (signature.kind !== 'function') throw new Error(`${signature.name} is not a function`);
  return signature.returns.kind === 'record' ? Object.keys(signature.returns.fields) : [signature.name];
}

const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Every name that labels a node of Graphviz's SVG: a node's first text line, its names separated by ", ". */
function nodeNames(svg: string): Set<string> {
  const names = new Set<string>();
  for (const [, node] of svg.matchAll(/<g id="[^"]*" class="node">([\s\S]*?)<\/g>/g)) {
    const first = /<text\b[^>]*>([^<]*)<\/text>/.exec(node!);
    if (first) for (const name of unescapeXml(first[1]!).split(', ')) names.add(name);
  }
  return names;
}

/** The DOT of `file`'s graph of `view`, through the same harness a student's process runs. */
async function studentDot(lab: Lab, file: string, view: GraphView): Promise<string> {
  const client = await openInProcess(file, { driver: lab.paths.driver });
  try {
    const call = graphCall(view);
    return await client.graph(call.exportName, call.args, call.argNames);
  } finally {
    await client.close();
  }
}

async function labFile(name: string, source: string): Promise<string> {
  const file = join(await tempDir(name), 'lab.ts');
  await writeFile(file, source);
  return file;
}

// The same tensor returned under two names (an RNN whose outputs are its states, W = I by mistake).
const rnnSharedOutputs = `import { relu, type Tensor } from 'propgrade/autograd';
export function forwardByHand(U: Tensor, V: Tensor, W: Tensor, x1: Tensor, x2: Tensor, h0: Tensor) {
  const h1 = relu(U.matmul(x1).add(V.matmul(h0)));
  const h2 = relu(U.matmul(x2).add(V.matmul(h1)));
  return { h1, o1: h1, h2, o2: h2 };
}
`;
// Scores and weights computed beside the output, which is computed again from Q and K: no output reaches another.
const attentionApartOutputs = `import { softmax, type Tensor } from 'propgrade/autograd';
export function attentionByHand(Q: Tensor, K: Tensor, V: Tensor) {
  const scale = Math.sqrt(Q.shape[1]!);
  const scores = Q.matmul(K.T).div(scale);
  const weights = softmax(Q.matmul(K.T).div(scale), -1);
  const output = softmax(Q.matmul(K.T).div(scale), -1).matmul(V);
  return { scores, weights, output };
}
`;

const cases: { lab: Lab; name: string; file: () => Promise<string>; tasks: string[] }[] = [
  { lab: RNN, name: 'the reference', file: async () => RNN.paths.reference!, tasks: ['forward_by_hand', 'forward_function'] },
  { lab: RNN, name: 'constants (fbh-hardcoded)', file: async () => join(corpusSubmission('fbh-hardcoded'), 'lab.ts'), tasks: ['forward_by_hand'] },
  { lab: RNN, name: 'one tensor under two names', file: () => labFile('rnn-shared', rnnSharedOutputs), tasks: ['forward_by_hand'] },
  { lab: ATTENTION, name: 'the reference', file: async () => ATTENTION.paths.reference!, tasks: ['attention_by_hand', 'attention_function'] },
  { lab: ATTENTION, name: 'constants (by-hand-hardcoded)', file: async () => join(attentionSubmission('by-hand-hardcoded'), 'lab.ts'), tasks: ['attention_by_hand'] },
  { lab: ATTENTION, name: 'outputs computed apart', file: () => labFile('attention-apart', attentionApartOutputs), tasks: ['attention_by_hand'] },
];

describe("report.html's graph shows every output node, labelled with its name", () => {
  test.each(cases)('$lab.id: $name', { timeout: 60_000 }, async ({ lab, file, tasks }) => {
    const path = await file();
    const views = lab.graphs.filter((view) => tasks.includes(view.task));
    expect(views.map((view) => view.task)).toEqual(tasks);
    const dots = Object.fromEntries(await Promise.all(views.map(async (view) => [view.task, await studentDot(lab, path, view)] as const)));
    const graphs = await labGraphs({ graphs: dots }, lab);
    for (const view of views) {
      const graph = graphs[view.task]!;
      expect(graph.label, view.task).toMatch(/^The student's computation graph/);
      const drawn = nodeNames(graph.svg);
      for (const output of outputNames(view)) expect(drawn.has(output), `${view.task}: output '${output}' among the nodes ${[...drawn].join(' | ')}`).toBe(true);
    }
  });
});
