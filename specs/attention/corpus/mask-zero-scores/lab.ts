// Planted bug (see expected.json): attention multiplies the scores by the mask and then removes the scores of 0, so an allowed key whose score is exactly 0 gets no weight either (unless every score of its row is 0).
import { diag, eye, softmax, stack, tensor, zeros, type Tensor } from 'propgrade/autograd';

function scaledScores(Q: Tensor, K: Tensor): Tensor {
  return Q.matmul(K.T).div(Math.sqrt(Q.shape[1]!));
}

export function attentionByHand(Q: Tensor, K: Tensor, V: Tensor) {
  const scores = scaledScores(Q, K);
  const weights = softmax(scores, -1);
  const output = weights.matmul(V);
  return { scores, weights, output };
}

export function attention(Q: Tensor, K: Tensor, V: Tensor, mask?: Tensor): Tensor {
  let scores = scaledScores(Q, K);
  if (mask) {
    // Multiplying by the mask makes a masked score 0, so a score of 0 is pushed out of the softmax
    // (a row of zeros only, a query of zeros, keeps its mask as given).
    scores = scores.mul(mask);
    const given = mask.tolist() as number[][];
    const dropped = (scores.tolist() as number[][]).map((row, i) => (row.every((s) => s === 0) ? given[i]!.map((a) => 1 - a) : row.map((s) => (s === 0 ? 1 : 0))));
    scores = scores.sub(tensor(dropped).mul(1e9));
  }
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
