// Planted bug (see expected.json): sequenceProbability memoises by the sequence alone, so the same sequence under another table gets the old probability.
import { clamp, eye, stack, tensor, zeros, type Tensor } from 'propgrade/autograd';

export function relu(z: Tensor): Tensor {
  return clamp(z, { min: 0 });
}

function step(U: Tensor, V: Tensor, x: Tensor, h: Tensor): Tensor {
  return relu(U.matmul(x).add(V.matmul(h)));
}

export function forwardByHand(U: Tensor, V: Tensor, W: Tensor, x1: Tensor, x2: Tensor, h0: Tensor) {
  const h1 = step(U, V, x1, h0);
  const o1 = W.matmul(h1);
  const h2 = step(U, V, x2, h1);
  const o2 = W.matmul(h2);
  return { h1, o1, h2, o2 };
}

export function forward(input: Tensor, dim: number, U: Tensor, V: Tensor, W: Tensor): Tensor {
  let h = zeros(dim);
  const outputs: Tensor[] = [];
  for (let t = 0; t < input.shape[0]!; t++) {
    h = step(U, V, input.at(t), h);
    outputs.push(W.matmul(h));
  }
  return stack(outputs);
}

function wordIndex(oneHot: Tensor): number {
  const values = oneHot.tolist() as number[];
  return values.indexOf(1);
}

const memo = new Map<string, number>();

export function sequenceProbability(seq: Tensor, T: Tensor): Tensor {
  const key = seq.data.join(',');
  const known = memo.get(key);
  if (known !== undefined) return tensor(known);
  const table = T.tolist() as number[][];
  let p = 1;
  for (let t = 0; t + 1 < seq.shape[0]!; t++) {
    p *= table[wordIndex(seq.at(t))]![wordIndex(seq.at(t + 1))]!;
  }
  memo.set(key, p);
  return tensor(p);
}

// Identity activation, hidden state = the current word, no recurrence, W picks column i of T^T = row i of T.
export function bigramRNN(T: Tensor) {
  const size = T.shape[0]!;
  return { sigma: (z: Tensor) => z, U: eye(size), V: zeros(size, size), W: T.T };
}

export const tinyBigramRNN = bigramRNN(
  tensor([
    [0.75, 0.25],
    [0.4, 0.6],
  ]),
);

export function gradH11WrtU(U: Tensor, V: Tensor, x1: Tensor, h0: Tensor): Tensor {
  U.requiresGrad = true;
  const h1 = relu(U.matmul(x1).add(V.matmul(h0)));
  h1.at(0).backward();
  return U.grad!;
}

export function bpttGradU(U: Tensor, V: Tensor, W: Tensor, x: Tensor, h0: Tensor): number {
  const u = U.item();
  const v = V.item();
  const w = W.item();
  const xs = x.tolist() as number[];
  let h = h0.item();
  let dhdu = 0; // dh_t/dU along every path from U, carried forward in time
  let grad = 0;
  for (let t = 0; t + 1 < xs.length; t++) {
    const a = u * xs[t]! + v * h;
    const slope = a > 0 ? 1 : 0;
    h = slope * a;
    dhdu = slope * (xs[t]! + v * dhdu);
    const o = w * h;
    grad += 2 * (o - xs[t + 1]!) * w * dhdu;
  }
  return grad;
}
