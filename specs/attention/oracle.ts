/**
 * Alternative computations for the oracle (staff only). The reference derives softmaxJacobian by
 * hand, so replaying its computation would only check its arithmetic: here the Jacobian is computed
 * with autograd in one backward pass, and that computation is replayed in TensorFlow.js and compared
 * with the reference's answer. Z holds k copies of z as rows; row r of softmax(Z) depends on row r of
 * Z only, so the gradient of sum_r softmax(Z)[r][r] with respect to Z[r][c] is d s_r / d z_c.
 */
import { eye, softmax, stack, type Tensor } from 'propgrade/autograd';

export function softmaxJacobian(z: Tensor): Tensor {
  const k = z.shape[0]!;
  const Z = stack(Array.from({ length: k }, () => z)).detach();
  Z.requiresGrad = true;
  softmax(Z, -1).mul(eye(k)).sum().backward();
  return Z.grad!;
}
