/**
 * The engine against TensorFlow.js on one RNN training step: forward over N steps
 * h_t = relu(U x_t + V h_{t-1}), o_t = W h_t, loss = sum_t |o_t - x_{t+1}|^2, then the gradients of
 * U, V and W. And against its floor: the same step as plain fused float64 loops over preallocated
 * buffers, with the gradients derived by hand (no graph, no allocation): what JavaScript itself
 * costs on this machine. Contenders run in one process, interleaved round by round after a
 * warm-up; each time is the median over rounds of the mean CPU time of a batch of steps.
 */
import { Tensor, relu, tensor, zeros } from '../src/autograd/index.ts';
import { loadEveryBackend, type Tf } from '../src/oracle/backend.ts';
import type * as tfjs from '@tensorflow/tfjs-core';
import { median } from './median.ts';

type TFTensor = tfjs.Tensor;
type Tensor2D = tfjs.Tensor2D;

/**
 * (dim, N), the largest engine / fastest-backend ratio allowed there and the largest engine / floor
 * ratio (none: no target).
 */
const CASES: { dim: number; n: number; target?: number; floorTarget?: number }[] = [
  { dim: 2, n: 2, target: 0.03 },
  { dim: 16, n: 32 },
  { dim: 64, n: 64 },
  { dim: 256, n: 64, target: 1.0, floorTarget: 1.5 },
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

/**
 * The floor: the step in fused loops, gradients by hand. With a_t = U x_t + V h_{t-1},
 * h_t = relu(a_t), e_t = W h_t - x_{t+1}: dW = sum_t 2 e_t h_t^T; going back in t,
 * dh_t = W^T 2 e_t + V^T da_{t+1}, da_t = dh_t where a_t > 0 (relu'(0) = 0), dU = sum_t da_t x_t^T,
 * dV = sum_t da_t h_{t-1}^T.
 */
function floorContender(p: Problem): Contender {
  const { dim: d, n, U, V, W, xs } = p;
  const hs = Array.from({ length: n + 1 }, () => new Float64Array(d)); // hs[0] = h0 = 0
  const as = Array.from({ length: n }, () => new Float64Array(d));
  const es = Array.from({ length: n }, () => new Float64Array(d));
  const [dU, dV, dW] = [new Float64Array(d * d), new Float64Array(d * d), new Float64Array(d * d)];
  const dh = new Float64Array(d);
  const da = new Float64Array(d);
  let loss = 0;
  return {
    name: 'floor',
    enter: async () => {},
    step() {
      loss = 0;
      for (let t = 0; t < n; t++) {
        const [x, prev, a, h, e, next] = [xs[t]!, hs[t]!, as[t]!, hs[t + 1]!, es[t]!, xs[t + 1]!];
        for (let i = 0; i < d; i++) {
          let sum = 0;
          for (let j = 0; j < d; j++) sum += U[i * d + j]! * x[j]! + V[i * d + j]! * prev[j]!;
          a[i] = sum;
          h[i] = sum > 0 ? sum : 0;
        }
        for (let i = 0; i < d; i++) {
          let o = 0;
          for (let j = 0; j < d; j++) o += W[i * d + j]! * h[j]!;
          const err = o - next[i]!;
          e[i] = err;
          loss += err * err;
        }
      }
      dU.fill(0);
      dV.fill(0);
      dW.fill(0);
      da.fill(0);
      for (let t = n - 1; t >= 0; t--) {
        const [x, prev, a, h, e] = [xs[t]!, hs[t]!, as[t]!, hs[t + 1]!, es[t]!];
        // dh = W^T 2e + V^T da (da still holds step t + 1's), and dW += 2e h^T.
        dh.fill(0);
        for (let i = 0; i < d; i++) {
          const g = 2 * e[i]!;
          const back = da[i]!;
          for (let j = 0; j < d; j++) {
            dW[i * d + j]! += g * h[j]!;
            dh[j]! += W[i * d + j]! * g + V[i * d + j]! * back;
          }
        }
        for (let i = 0; i < d; i++) {
          const g = a[i]! > 0 ? dh[i]! : 0;
          da[i] = g;
          for (let j = 0; j < d; j++) {
            dU[i * d + j]! += g * x[j]!;
            dV[i * d + j]! += g * prev[j]!;
          }
        }
      }
    },
    summary: () => [loss, ...[dU, dV, dW].map((g) => g.reduce((s, v) => s + v, 0))],
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
  const header = ['(dim, N)', 'engine', 'floor', ...backends.map((b) => `tfjs ${b}`), 'vs tfjs', 'target', '', 'vs floor', 'target', ''];
  const rows: string[][] = [header];
  const notes: string[] = [];
  for (const { dim, n, target, floorTarget } of CASES) {
    const p = problem(dim, n);
    const contenders = [engineContender(p), floorContender(p), ...backends.map((b) => tfContender(tf, b, p))];
    const results: number[][] = [];
    for (const c of contenders) {
      await c.enter();
      c.step();
      results.push(c.summary());
    }
    const [engine, floor, ...others] = await race(contenders);
    const ratio = engine! / Math.min(...others);
    const overFloor = engine! / floor!;
    const verdict = (value: number, bound?: number) => [bound === undefined ? '' : `<= ${bound}x`, bound === undefined ? '' : value <= bound ? 'PASS' : 'MISS'];
    // The same computation everywhere (within float32): loss and gradient sums agree with the engine's.
    const agree = results.every((r) => r.every((v, i) => Math.abs(v - results[0]![i]!) <= 1e-3 * Math.abs(results[0]![i]!) + 1e-3));
    rows.push([
      `(${dim}, ${n})`, formatMs(engine!), formatMs(floor!), ...others.map(formatMs),
      `${ratio.toFixed(3)}x`, ...verdict(ratio, target), `${overFloor.toFixed(2)}x`, ...verdict(overFloor, floorTarget),
    ]);
    if (!agree) notes.push(`  (${dim}, ${n}): results differ: ${results.map((r) => r.map((v) => v.toPrecision(6)).join(' ')).join(' | ')}`);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log('  ' + row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  for (const note of notes) console.log(note);
  console.log('  vs tfjs: engine time / fastest TensorFlow.js backend; vs floor: engine time / plain fused float64 loops (floor)');
}
