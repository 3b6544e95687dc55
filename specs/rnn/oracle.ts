/**
 * Alternative computations for the oracle (staff only). The reference derives bpttGradU by hand, so
 * replaying its computation would only check its arithmetic: here the same dL/dU is computed with
 * the engine's autograd (relu, as the lab's RNN has), and that computation is replayed in
 * TensorFlow.js and compared with the reference's answer.
 */
import { relu, tensor, type Tensor } from 'propgrade/autograd';

export function bpttGradU(U: Tensor, V: Tensor, W: Tensor, x: Tensor, h0: Tensor): Tensor {
  const u = tensor(U.item(), { requiresGrad: true });
  let h = h0.reshape([]);
  let L = tensor(0);
  for (let t = 0; t + 1 < x.shape[0]!; t++) {
    h = relu(u.mul(x.at(t)).add(h.mul(V.reshape([]))));
    L = L.add(h.mul(W.reshape([])).sub(x.at(t + 1)).pow(2));
  }
  L.backward();
  return u.grad!;
}
