/**
 * The reference solution of the lab (never shipped to students). The grader's expected values come
 * from here, cross-checked against the TensorFlow.js oracle. Each computation is written out on its
 * own line (the RNN step, the loop, the bigram product, the RNN construction, the backward call,
 * the BPTT recursion), so that mutation testing can break each one separately.
 */
import { clamp, eye, stack, tensor, zeros, type Tensor } from 'propgrade/autograd';

/** The notebook's relu: a clamp from below at 0 (gradient 1 at 0, like torch.clamp). */
const relu = (z: Tensor): Tensor => clamp(z, { min: 0 });

/** One RNN step: h_t = relu(U x_t + V h_{t-1}), o_t = W h_t. */
function step(U: Tensor, V: Tensor, W: Tensor, x: Tensor, hPrev: Tensor): { h: Tensor; o: Tensor } {
  const h = relu(U.matmul(x).add(V.matmul(hPrev)));
  return { h, o: W.matmul(h) };
}

export function forwardByHand(U: Tensor, V: Tensor, W: Tensor, x1: Tensor, x2: Tensor, h0: Tensor) {
  const first = step(U, V, W, x1, h0);
  const second = step(U, V, W, x2, first.h);
  return { h1: first.h, o1: first.o, h2: second.h, o2: second.o };
}

/** The N outputs [N, dim] of the RNN over the rows of `input` [N, dim], from h0 = 0. */
export function forward(input: Tensor, dim: number, U: Tensor, V: Tensor, W: Tensor): Tensor {
  let h = zeros(dim);
  const outputs: Tensor[] = [];
  for (let t = 0; t < input.shape[0]!; t++) {
    const next = step(U, V, W, input.at(t), h);
    h = next.h;
    outputs.push(next.o);
  }
  return stack(outputs);
}

/** prod_t T[w_t, w_{t+1}]: with one-hot rows, T[w_t, w_{t+1}] = x_t^T T x_{t+1}. */
export function sequenceProbability(seq: Tensor, table: Tensor): Tensor {
  let probability = tensor(1);
  for (let t = 1; t < seq.shape[0]!; t++) {
    const transition = seq.at(t - 1).matmul(table).dot(seq.at(t));
    probability = probability.mul(transition);
  }
  return probability;
}

/**
 * A bigram table as an RNN: sigma = identity, U = T^T so that U x_t = T^T v_i is the row T_i,
 * V = 0 so that nothing carries over from the previous word, W = I so that o_t = h_t = T_i.
 */
export function bigramRNN(table: Tensor) {
  const vocabulary = table.shape[0]!;
  return {
    sigma: (z: Tensor) => z,
    U: table.T,
    V: zeros(vocabulary, vocabulary),
    W: eye(vocabulary),
  };
}

/** The lab's two-word table. */
const LAB_TABLE = tensor([
  [0.75, 0.25],
  [0.4, 0.6],
]);

export const tinyBigramRNN = bigramRNN(LAB_TABLE);

/** d h1[0] / dU for h1 = clamp(U x1 + V h0, min 0), by the engine's backward(). */
export function gradH11WrtU(U: Tensor, V: Tensor, x1: Tensor, h0: Tensor): Tensor {
  const u = U.detach();
  u.requiresGrad = true;
  const h1 = relu(u.matmul(x1).add(V.matmul(h0)));
  h1.at(0).backward();
  return u.grad!;
}

/**
 * dL/dU of the scalar RNN h_t = relu(U x_t + V h_{t-1}), o_t = W h_t, L = sum_t (x_{t+1} - o_t)^2,
 * by backpropagation through time written out by hand (no autograd): a forward pass that keeps every
 * pre-activation and state, then a backward pass from t = N down to 1 that carries dL/dh_t.
 */
export function bpttGradU(U: Tensor, V: Tensor, W: Tensor, x: Tensor, h0: Tensor): number {
  const [u, v, w, start] = [U.item(), V.item(), W.item(), h0.item()];
  const xs = x.tolist() as number[];
  const steps = xs.length - 1;

  const z: number[] = []; // z[t] = U x_t + V h_{t-1}, t = 1..N (index t - 1)
  const h: number[] = [start]; // h[t], t = 0..N
  for (let t = 1; t <= steps; t++) {
    z.push(u * xs[t - 1]! + v * h[t - 1]!);
    h.push(Math.max(z[t - 1]!, 0));
  }

  let gradU = 0;
  let gradHNext = 0; // dL/dh_{t+1} reaching h_t through V (nothing beyond the last step)
  for (let t = steps; t >= 1; t--) {
    const gradO = 2 * (w * h[t]! - xs[t]!); // dL/do_t, the target of step t is x_{t+1}
    const gradH = gradO * w + gradHNext; // dL/dh_t
    const gradZ = z[t - 1]! > 0 ? gradH : 0; // relu'(z) = 0 at z = 0, as torch.relu
    gradU += gradZ * xs[t - 1]!; // dz_t/dU = x_t
    gradHNext = gradZ * v; // dz_t/dh_{t-1} = V
  }
  return gradU;
}
