/** Renders Graphviz DOT (from the engine's `toDot`) to SVG with Graphviz compiled to WebAssembly. */
import { instance, type Viz } from '@viz-js/viz';

let viz: Promise<Viz> | undefined; // one instance, made on first use (it compiles the WebAssembly)

export async function dotToSvg(dot: string): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    throw new Error(`dotToSvg: Graphviz could not render the graph: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return result.output;
}
