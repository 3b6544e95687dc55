/**
 * The reference solution of the attention lab (never shipped to students). The grader's expected
 * values come from here, cross-checked against the TensorFlow.js oracle. Each computation is on its
 * own line (the scores, the scaling, the mask, the softmax, the weighted sum, the head's parts, the
 * backward call, the Jacobian's two terms), so that mutation testing can break each one separately.
 */
import { diag, eye, softmax, stack, zeros, type Tensor } from 'propgrade/autograd';

/**
 * What a masked score becomes: far below any real score, so that exp of it (after the softmax
 * subtracts its row's maximum) is exactly 0. -Infinity would not do with arithmetic: 0 * -Infinity
 * is NaN at every position that is not masked.
 */
const MASKED = -1e9;

/** scores = Q Kᵀ / √d, d the columns of Q and K. */
function scaledScores(Q: Tensor, K: Tensor): Tensor {
  const d = Q.shape[1]!;
  return Q.matmul(K.T).div(Math.sqrt(d));
}

export function attentionByHand(Q: Tensor, K: Tensor, V: Tensor) {
  const scores = scaledScores(Q, K);
  const weights = softmax(scores, -1);
  const output = weights.matmul(V);
  return { scores, weights, output };
}

export function attention(Q: Tensor, K: Tensor, V: Tensor, mask?: Tensor): Tensor {
  let scores = scaledScores(Q, K);
  // mask 1 adds 0, mask 0 adds MASKED.
  if (mask) scores = scores.add(mask.sub(1).mul(-MASKED));
  const weights = softmax(scores, -1);
  return weights.matmul(V);
}

/**
 * d = n. Key j is the one-hot e_j; query i is C e_{i-1} (query 0 is zero: it may attend to key 0
 * only anyway). Row i's score is C/√n at j = i - 1 and 0 at the i other positions it may see, so its
 * weight there is e^{C/√n} / (e^{C/√n} + i). With e^{C/√n} = 100 n that is at least
 * 100n / (100n + n) = 100/101 > 0.99.
 */
export function previousTokenHead(n: number) {
  const K = eye(n);
  const strength = Math.sqrt(n) * Math.log(100 * n);
  const previous = stack([zeros(n), ...Array.from({ length: n - 1 }, (_, i) => K.at(i))]);
  return { Q: previous.mul(strength), K };
}

/** d output[i][j] / dQ by the engine's backward(), on a leaf copy of Q. */
export function gradOutputWrtQ(Q: Tensor, K: Tensor, V: Tensor, i: number, j: number): Tensor {
  const q = Q.detach();
  q.requiresGrad = true;
  attention(q, K, V).at(i).at(j).backward();
  return q.grad!;
}

/** d s_r / d z_c = s_r (δ_rc − s_c): diag(s) − s sᵀ, no autograd. */
export function softmaxJacobian(z: Tensor): Tensor {
  const s = softmax(z, -1);
  const k = z.shape[0]!;
  const outer = s.reshape(k, 1).matmul(s.reshape(1, k));
  return diag(s).sub(outer);
}
