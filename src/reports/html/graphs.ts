/**
 * The computation graphs of the forward tasks, drawn on the notebook's example: the student's when
 * grading captured its DOT text (`report.graphs`), else the reference solution's, labelled as such.
 */
import { fileURLToPath } from 'node:url';
import type { GradeReport } from '../../grading/model.ts';
import { openInProcess } from '../../sandbox/inprocess.ts';
import * as notebook from '../../../specs/notebook.ts';
import type { Plain } from '../../sandbox/protocol.ts';
import { plain } from '../../spec/plain.ts';
import type { TaskId } from '../../spec/types.ts';
import { dotToSvg } from '../graph.ts';

export interface Graph {
  svg: string;
  label: string;
}

const REFERENCE_LAB = fileURLToPath(new URL('../../../reference/lab.ts', import.meta.url));

/** What each forward task's graph is a call of: the export, its arguments and their names. */
export function forwardCalls(): Array<{ task: TaskId; exportName: string; args: Plain[]; argNames: string[]; root?: string }> {
  const { U, V, W, x1, x2, h0 } = notebook;
  const input = plain([Array.from(x1.data), Array.from(x2.data)]);
  return [
    { task: 'forward_by_hand', exportName: 'forwardByHand', args: [U, V, W, x1, x2, h0], argNames: ['U', 'V', 'W', 'x1', 'x2', 'h0'], root: 'o2' },
    { task: 'forward_function', exportName: 'forward', args: [input, 2, U, V, W], argNames: ['input', 'dim', 'U', 'V', 'W'] },
  ];
}

let referenceDots: Promise<Partial<Record<TaskId, string>>> | undefined;

/** The reference's DOT per forward task, computed once per process. */
function referenceGraphs(): Promise<Partial<Record<TaskId, string>>> {
  referenceDots ??= (async () => {
    const lab = await openInProcess(REFERENCE_LAB);
    try {
      const dots: Partial<Record<TaskId, string>> = {};
      for (const call of forwardCalls()) dots[call.task] = await lab.graph(call.exportName, call.args, call.argNames, call.root);
      return dots;
    } finally {
      await lab.close();
    }
  })();
  return referenceDots;
}

export async function forwardGraphs(report: Pick<GradeReport, 'graphs'>): Promise<Partial<Record<TaskId, Graph>>> {
  const graphs: Partial<Record<TaskId, Graph>> = {};
  for (const { task } of forwardCalls()) {
    const student = report.graphs?.[task];
    try {
      const dot = student ?? (await referenceGraphs())[task];
      if (dot === undefined) continue;
      const label = student
        ? "The student's computation graph on the notebook's example (drawn from the engine's toDot)."
        : "The reference solution's computation graph on the notebook's example (grading did not capture the student's).";
      graphs[task] = { svg: inertSvg(await dotToSvg(dot)), label };
    } catch (error) {
      // A graph is an illustration: without it the report still says everything else.
      graphs[task] = { svg: '', label: `No graph: ${(error as Error).message}` };
    }
  }
  return graphs;
}

/**
 * Graphviz's SVG with everything that could fetch or run taken out. The student's DOT text comes
 * from their own process, which may have replaced toDot: a node's URL becomes a link, for instance.
 */
function inertSvg(svg: string): string {
  return svg
    .replace(/^[\s\S]*?(?=<svg\b)/, '')
    .replace(/<(script|foreignObject)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<\/?a\b[^>]*>/gi, '')
    .replace(/\s(?:xlink:)?href\s*=\s*("[^"]*"|'[^']*')/gi, '')
    .replace(/\son\w+\s*=\s*("[^"]*"|'[^']*')/gi, '');
}
