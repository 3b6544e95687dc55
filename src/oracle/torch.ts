/**
 * PyTorch as an oracle: one Python helper (torch-replay.py) per run, started on the first
 * interpreter that imports torch, fed one graph per line as JSON and answering one line each.
 * Float64 on both sides; numbers JSON cannot hold (NaN, ±Infinity, -0) travel as strings.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { isLeaf, topological, type Expr, type Graph } from './graph.ts';

/**
 * Where to look for a python3 with torch, in order: Debian's python3-torch installs for
 * /usr/bin/python3, which need not be the python3 first on PATH. PROPGRADE_PYTHON names the one to use.
 */
export const PYTHONS = process.env.PROPGRADE_PYTHON ? [process.env.PROPGRADE_PYTHON] : ['/usr/bin/python3', 'python3'];
const SCRIPT = fileURLToPath(new URL('./torch-replay.py', import.meta.url));
/** Importing torch takes a few seconds; a helper silent for this long is not coming. */
export const READY_TIMEOUT_MS = 120_000;

type Wire = number | string;
const toWire = (x: number): Wire => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : Object.is(x, -0) ? '-0' : x);
const fromWire = (x: Wire): number => (typeof x === 'number' ? x : x === 'nan' ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : x === '-0' ? -0 : NaN);
const wireArray = (xs: ArrayLike<number>) => Array.from(xs, toWire);

/** PyTorch's answer for one graph, indexed like `topological(graph.root)`. */
export interface TorchRun {
  values: Float64Array[];
  shapes: number[][];
  /** Leaf gradients, in the order the leaves come in `topological(graph.root)`. */
  grads: Float64Array[];
  /** PyTorch's own rule is implementation-defined here: the case cannot be compared. */
  undefined?: string;
  /** PyTorch refused the graph. */
  error?: string;
}

export class TorchOracle {
  private pending: ((line: string) => void)[] = [];
  private failure: Error | undefined;
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    /** `PyTorch 1.13.1 (/usr/bin/python3)` */
    readonly name: string,
  ) {}

  /** Starts the helper on `python`; rejects with the reason when it does not come up. */
  static start(python: string, { script = SCRIPT, timeoutMs = READY_TIMEOUT_MS } = {}): Promise<TorchOracle> {
    return new Promise((resolve, reject) => {
      const child = spawn(python, ['-u', script], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      const lastLine = () => stderr.trim().split('\n').pop() ?? '';
      const lines = createInterface({ input: child.stdout });
      let oracle: TorchOracle | undefined;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${python}: the PyTorch helper did not start within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`${python}: ${error.message}`));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const why = new Error(`${python}: the PyTorch helper ended (${signal ?? `exit ${code}`})${lastLine() ? `: ${lastLine()}` : ''}`);
        if (!oracle) return reject(why);
        oracle.failure = why;
        for (const next of oracle.pending.splice(0)) next('');
      });
      lines.on('line', (line) => {
        if (oracle) return oracle.pending.shift()?.(line);
        clearTimeout(timer);
        try {
          const hello = JSON.parse(line) as { ready: boolean; torch: string; python: string };
          oracle = new TorchOracle(child, `PyTorch ${hello.torch} (${hello.python})`);
          resolve(oracle);
        } catch {
          child.kill('SIGKILL');
          reject(new Error(`${python}: the PyTorch helper said '${line.slice(0, 200)}' instead of hello`));
        }
      });
    });
  }

  /** Replays `graph` with backward(`seed`), the seed already filling the root's shape. */
  async replay(graph: Graph, seed: Float64Array): Promise<TorchRun> {
    const order = topological(graph.root);
    const index = new Map<Expr, number>(order.map((e, i) => [e, i]));
    const nodes = order.map((e) =>
      isLeaf(e)
        ? { op: 'leaf', shape: e.value.shape, data: wireArray(e.value.data) }
        : {
            op: e.op,
            args: e.args.map((a) => (typeof a === 'number' ? { number: toWire(a) } : { node: index.get(a)! })),
            ...(e.attrs && { attrs: Object.fromEntries(Object.entries(e.attrs).map(([k, v]) => [k, typeof v === 'number' ? toWire(v) : v])) }),
          },
    );
    const line = await this.ask(JSON.stringify({ nodes, seed: wireArray(seed) }));
    const answer = JSON.parse(line) as { values?: Wire[][]; shapes?: number[][]; grads?: Wire[][]; undefined?: string; error?: string };
    const floats = (xs: Wire[][] = []) => xs.map((x) => Float64Array.from(x, fromWire));
    return { values: floats(answer.values), shapes: answer.shapes ?? [], grads: floats(answer.grads), undefined: answer.undefined, error: answer.error };
  }

  private ask(request: string): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push((line) => (line === '' && this.failure ? reject(this.failure) : resolve(line)));
      this.child.stdin.write(`${request}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

/** PyTorch on the first interpreter of `pythons` where torch imports, or why none would. */
export async function findTorch(pythons: readonly string[] = PYTHONS): Promise<{ oracle: TorchOracle } | { reason: string }> {
  const reasons: string[] = [];
  for (const python of pythons) {
    try {
      return { oracle: await TorchOracle.start(python) };
    } catch (error) {
      reasons.push((error as Error).message);
    }
  }
  return { reason: `no python3 here imports torch (Debian: apt-get install python3-torch): ${reasons.join('; ')}` };
}

/** Where the torch oracle does not hold the engine to PyTorch's answer, and why (`verify-engine --oracle torch --divergences`). */
export const TORCH_DIVERGENCES = [
  {
    op: 'prod',
    divergence:
      'without a zero PyTorch divides (g * y / x_k): NaN where x_k is ±Infinity or NaN, wrong where the product over- or underflows; the engine keeps the exact product of the others on purpose. Such cases are kept out and counted',
  },
  {
    op: 'max',
    divergence:
      "torch.max(x, dim) sends a tie's gradient to one index of its choosing (implementation-defined; the engine splits it evenly, as torch.amax and the full torch.max do): such cases are kept out and counted. A NaN wins (one NaN: compared)",
  },
];
