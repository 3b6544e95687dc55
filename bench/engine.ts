/**
 * The engine against TensorFlow.js on one RNN training step: forward over N steps
 * h_t = relu(U x_t + V h_{t-1}), o_t = W h_t, loss = sum_t |o_t - x_{t+1}|^2, then the gradients of
 * U, V and W. Contenders run in one process, interleaved round by round after a warm-up; each
 * time is the median over rounds of the mean CPU time of a batch of steps.
 */
import { Tensor, relu, tensor, zeros } from '../src/autograd/index.ts';
import { loadEveryBackend, type Tf } from '../src/oracle/backend.ts';
import type * as tfjs from '@tensorflow/tfjs';

type TFTensor = tfjs.Tensor;
type Tensor2D = tfjs.Tensor2D;

/** (dim, N) and the largest engine / fastest-backend ratio allowed there (none: no target). */
const CASES: { dim: number; n: number; target?: number }[] = [
  { dim: 2, n: 2, target: 0.03 },
  { dim: 16, n: 32 },
  { dim: 64, n: 64 },
  { dim: 256, n: 64, target: 1.0 },
];
const ROUNDS = 9;
const WARMUP_MS = 400; // long enough for V8 to optimize the engine's hot loops
const BATCH_MS = 40; // each timed batch of steps lasts about this long

interface Problem {
  dim: number;
  n: number;
  /** Row-major U, V, W and the N + 1 inputs. */
  U: Float64Array;
  V: Float64Array;
  W: Float64Array;
  xs: Float64Array[];
}

/** Deterministic values in [-scale, scale) (a linear congruential generator; no seed to manage). */
function values(count: number, scale: number, state: { s: number }): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    state.s = (Math.imul(state.s, 1664525) + 1013904223) >>> 0;
    out[i] = (state.s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

function problem(dim: number, n: number): Problem {
  const state = { s: dim * 7919 + n };
  const w = 1 / Math.sqrt(dim); // keeps activations of order 1
  return {
    dim, n,
    U: values(dim * dim, w, state), V: values(dim * dim, w, state), W: values(dim * dim, w, state),
    xs: Array.from({ length: n + 1 }, () => values(dim, 1, state)),
  };
}

/** A contender: `enter` makes it current (switches the tfjs backend); `step` runs one training step. */
interface Contender {
  name: string;
  enter(): Promise<void>;
  /** One training step. */
  step(): void;
  /** After a step: the loss and the sums of the gradients of U, V, W, to check all compute the same. */
  summary(): number[];
}

function engineContender(p: Problem): Contender {
  const matrix = (data: Float64Array) => {
    const leaf = new Tensor(data, [p.dim, p.dim]);
    leaf.requiresGrad = true;
    return leaf;
  };
  const [U, V, W] = [matrix(p.U), matrix(p.V), matrix(p.W)];
  const xs = p.xs.map((x) => tensor(x));
  let loss: Tensor | null = null;
  return {
    name: 'engine',
    enter: async () => {},
    step() {
      U.grad = V.grad = W.grad = null;
      let h: Tensor = zeros(p.dim);
      loss = null;
      for (let t = 0; t < p.n; t++) {
        h = relu(U.mv(xs[t]!).add(V.mv(h)));
        const error = W.mv(h).sub(xs[t + 1]!).pow(2).sum();
        loss = loss ? loss.add(error) : error;
      }
      loss!.backward();
    },
    summary: () => [loss!, U.grad!, V.grad!, W.grad!].map((t) => t.sum().item()),
  };
}

function tfContender(tf: Tf, backend: string, p: Problem): Contender {
  const column = (x: Float64Array) => tf.tensor2d(Float32Array.from(x), [p.dim, 1]);
  const matrix = (m: Float64Array) => tf.tensor2d(Float32Array.from(m), [p.dim, p.dim]);
  let xs: Tensor2D[] = [];
  let weights: Tensor2D[] = [];
  let last: TFTensor[] = []; // the latest loss and gradients
  const loss = (U: Tensor2D, V: Tensor2D, W: Tensor2D) => {
    let h = tf.zeros([p.dim, 1]) as Tensor2D;
    let total = tf.scalar(0);
    for (let t = 0; t < p.n; t++) {
      h = tf.relu(tf.add<Tensor2D>(tf.matMul(U, xs[t]!), tf.matMul(V, h)));
      total = tf.add(total, tf.sum(tf.square(tf.sub(tf.matMul(W, h), xs[t + 1]!))));
    }
    return total;
  };
  const valueAndGrads = tf.valueAndGrads(loss as (...ts: TFTensor[]) => TFTensor);
  return {
    name: `tfjs ${backend}`,
    async enter() {
      await tf.setBackend(backend);
      // Tensors live on the backend that made them: make them once, under this backend.
      if (weights.length === 0) {
        weights = [matrix(p.U), matrix(p.V), matrix(p.W)];
        xs = p.xs.map(column);
      }
    },
    step() {
      tf.dispose(last);
      last = tf.tidy(() => {
        const { value, grads } = valueAndGrads(weights);
        return [value, ...grads];
      });
      for (const t of last) t.dataSync(); // reading the results forces the work to finish
    },
    summary: () => tf.tidy(() => last.map((t) => tf.sum(t).dataSync()[0]!)),
  };
}

/**
 * Mean CPU time of one step in ms over a batch of `reps` steps. CPU time rather than wall time:
 * on a busy machine, time spent waiting for a core would land on whoever was running.
 */
function time(c: Contender, reps: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) c.step();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000 / reps;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median step time of each contender, measured round-robin. */
async function race(contenders: Contender[]): Promise<number[]> {
  const reps: number[] = [];
  for (const c of contenders) {
    // Warm up (JIT, kernels) with doubling batches until WARMUP_MS of CPU time is spent; the last
    // batch's time per step sizes the timed batches to about BATCH_MS.
    await c.enter();
    let perStep = time(c, 1);
    for (let batch = 2, spent = perStep; spent < WARMUP_MS; batch *= 2) {
      perStep = time(c, batch);
      spent += perStep * batch;
    }
    reps.push(Math.max(1, Math.round(BATCH_MS / perStep)));
  }
  const samples: number[][] = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, c] of contenders.entries()) {
      await c.enter();
      samples[i]!.push(time(c, reps[i]!));
    }
  }
  return samples.map(median);
}

const formatMs = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

export async function run(): Promise<void> {
  const { tf, backends, skipped } = await loadEveryBackend(['cpu', 'wasm', 'tensorflow']);
  console.log('engine vs TensorFlow.js: one RNN training step (forward over N steps, squared error, gradients of U, V, W)');
  for (const { backend, reason } of skipped) console.log(`  tfjs ${backend} unavailable (${reason})`);
  const header = ['(dim, N)', 'engine', ...backends.map((b) => `tfjs ${b}`), 'ratio', 'target', ''];
  const rows: string[][] = [header];
  for (const { dim, n, target } of CASES) {
    const p = problem(dim, n);
    const contenders = [engineContender(p), ...backends.map((b) => tfContender(tf, b, p))];
    const results: number[][] = [];
    for (const c of contenders) {
      await c.enter();
      c.step();
      results.push(c.summary());
    }
    const [engine, ...others] = await race(contenders);
    const ratio = engine! / Math.min(...others);
    // The same computation everywhere (within float32): loss and gradient sums agree with the engine's.
    const agree = results.every((r) => r.every((v, i) => Math.abs(v - results[0]![i]!) <= 1e-3 * Math.abs(results[0]![i]!) + 1e-3));
    rows.push([
      `(${dim}, ${n})`, formatMs(engine!), ...others.map(formatMs), `${ratio.toFixed(3)}x`,
      target === undefined ? '' : `<= ${target}x`,
      (target === undefined ? '' : ratio <= target ? 'PASS' : 'MISS') + (agree ? '' : ` (results differ: ${results.map((r) => r.map((v) => v.toPrecision(6)).join(' ')).join(' | ')})`),
    ]);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log('  ' + row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  console.log('  ratio: engine time / fastest TensorFlow.js backend');
}
