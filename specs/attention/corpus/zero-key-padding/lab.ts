// Planted bug (see expected.json): attention takes a key of zeros for padding and gives it no weight, but a zero key is an ordinary key whose scores are 0.
import { dot, stack, tensor, type Tensor } from 'propgrade/autograd';

/** softmax of one row of scores over the positions the mask row allows (all without one). */
function maskedSoftmax(scores: Tensor, allowed: number[]): Tensor {
  const values = scores.tolist() as number[];
  let largest = -Infinity;
  for (let j = 0; j < values.length; j++) if (allowed[j] === 1) largest = Math.max(largest, values[j]!);
  // Masked scores are zeroed before exp (a masked score far above the others would overflow), then dropped.
  const keep = tensor(allowed);
  const exps = scores.sub(largest).mul(keep).exp().mul(keep);
  return exps.div(exps.sum());
}

function attendRow(q: Tensor, K: Tensor, V: Tensor, allowed: number[]): { scores: Tensor; weights: Tensor; output: Tensor } {
  const d = q.shape[0]!;
  const parts: Tensor[] = [];
  for (let j = 0; j < K.shape[0]!; j++) parts.push(dot(q, K.at(j)).div(Math.sqrt(d)));
  const scores = stack(parts);
  const weights = maskedSoftmax(scores, allowed);
  return { scores, weights, output: weights.matmul(V) };
}

function rows(Q: Tensor, K: Tensor, V: Tensor, mask?: Tensor) {
  const allowedRows = mask ? (mask.tolist() as number[][]) : undefined;
  const all = Array.from({ length: K.shape[0]! }, () => 1);
  const out = [];
  for (let i = 0; i < Q.shape[0]!; i++) out.push(attendRow(Q.at(i), K, V, allowedRows ? allowedRows[i]! : all));
  return out;
}

export function attentionByHand(Q: Tensor, K: Tensor, V: Tensor) {
  const r = rows(Q, K, V);
  return { scores: stack(r.map((x) => x.scores)), weights: stack(r.map((x) => x.weights)), output: stack(r.map((x) => x.output)) };
}

export function attention(Q: Tensor, K: Tensor, V: Tensor, mask?: Tensor): Tensor {
  // A key of zeros is padding: no query attends to it (unless it may attend to nothing else).
  const padding = (K.tolist() as number[][]).map((k) => k.every((x) => x === 0));
  const given = mask ? (mask.tolist() as number[][]) : Array.from({ length: Q.shape[0]! }, () => padding.map(() => 1));
  const kept = given.map((row) => {
    const withoutPadding = row.map((a, j) => (padding[j] ? 0 : a));
    return withoutPadding.includes(1) ? withoutPadding : row;
  });
  return stack(rows(Q, K, V, tensor(kept)).map((x) => x.output));
}

/**
 * d = 3: key j is [j, j^2, 1] and query i is C [2(i - 1), -1, -(i - 1)^2], so the score of key j is
 * -C (j - (i - 1))^2 / sqrt(3): 0 at j = i - 1, at most -C / sqrt(3) elsewhere, whatever n.
 */
export function previousTokenHead(n: number) {
  const C = 8 * Math.sqrt(3);
  const K: number[][] = [];
  const Q: number[][] = [];
  for (let i = 0; i < n; i++) {
    K.push([i, i * i, 1]);
    Q.push([2 * (i - 1) * C, -C, -(i - 1) * (i - 1) * C]);
  }
  return { Q: tensor(Q), K: tensor(K) };
}

export function gradOutputWrtQ(Q: Tensor, K: Tensor, V: Tensor, i: number, j: number): Tensor {
  const q = Q.detach();
  q.requiresGrad = true;
  const output = attention(q, K, V);
  output.at(i).at(j).backward();
  return q.grad!;
}

export function softmaxJacobian(z: Tensor): Tensor {
  const values = z.tolist() as number[];
  const largest = Math.max(...values);
  const exps = values.map((x) => Math.exp(x - largest));
  const total = exps.reduce((a, b) => a + b, 0);
  const s = exps.map((e) => e / total);
  const J: number[][] = [];
  for (let r = 0; r < s.length; r++) {
    const row: number[] = [];
    for (let c = 0; c < s.length; c++) row.push((r === c ? s[r]! : 0) - s[r]! * s[c]!);
    J.push(row);
  }
  return tensor(J);
}
