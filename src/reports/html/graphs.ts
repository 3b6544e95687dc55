/**
 * The computation graphs a lab asks report.html to draw (its `graphs`): the student's when grading
 * captured its DOT text (`report.graphs`), else the reference solution's, labelled as such.
 */
import type { GradeReport } from '../../model/report.ts';
import type { Lab } from '../../lab/load.ts';
import { openInProcess } from '../../sandbox/inprocess.ts';
import type { Plain } from '../../sandbox/protocol.ts';
import type { GraphView } from '../../spec/types.ts';
import { withinBudget } from '../../sandbox/budget.ts';

/** Graphviz's layout of a student's graph can take minutes (a 48-node tournament): a worker with a deadline draws it. */
export const LAYOUT_BUDGET = { what: 'graph layout', timeoutMs: 10_000, heapMb: 256 };

const layout = (dot: string) => withinBudget<string>(new URL('../graph.ts', import.meta.url), 'dotToSvg', [dot], LAYOUT_BUDGET);

export interface Graph {
  svg: string;
  label: string;
}

/** A view as a `graph` request: the export, its arguments in order and their names (from its signature). */
export function graphCall(view: GraphView): { exportName: string; args: Plain[]; argNames: string[] } {
  if (view.export.kind !== 'function') throw new Error(`graph of ${view.export.name}: only a function export can be drawn`);
  const argNames = view.export.paramNames.filter((name) => view.args[name] !== undefined);
  return { exportName: view.export.name, args: view.export.args(view.args), argNames };
}

const referenceDots = new Map<string, Promise<Record<string, string>>>();

/** The reference's DOT per drawn task, computed once per process and lab. */
function referenceGraphs(lab: Lab): Promise<Record<string, string>> {
  let dots = referenceDots.get(lab.dir);
  if (!dots) {
    dots = (async () => {
      if (!lab.paths.reference) return {};
      const client = await openInProcess(lab.paths.reference, { driver: lab.paths.driver });
      try {
        const found: Record<string, string> = {};
        for (const view of lab.graphs) {
          const call = graphCall(view);
          found[view.task] = await client.graph(call.exportName, call.args, call.argNames);
        }
        return found;
      } finally {
        await client.close();
      }
    })();
    referenceDots.set(lab.dir, dots);
  }
  return dots;
}

export async function labGraphs(report: Pick<GradeReport, 'graphs'>, lab: Lab): Promise<Record<string, Graph>> {
  const graphs: Record<string, Graph> = {};
  for (const { task } of lab.graphs) {
    const student = report.graphs?.[task];
    try {
      const dot = student ?? (await referenceGraphs(lab))[task];
      if (dot === undefined) continue;
      const label = student
        ? "The student's computation graph on the lab's example (drawn from the engine's toDot)."
        : "The reference solution's computation graph on the lab's example (grading did not capture the student's).";
      graphs[task] = { svg: inertSvg(await layout(dot)), label };
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
