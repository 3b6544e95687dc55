/**
 * propgrade/autograd: a small reverse-mode autograd engine over float64 tensors, with PyTorch's
 * semantics (including its gradients at kinks and edge points).
 *
 * Creation   tensor(data, { requiresGrad }), zeros(...shape), ones(...shape), eye(n), diag(v), stack(ts)
 * Elementwise add sub mul div pow maximum minimum (tensor or number operands, NumPy broadcasting),
 *            neg abs exp log tanh sigmoid relu clamp(x, { min, max })
 * Products   matmul(a, b) (1-D/2-D operands), mv(A, v), dot(a, b), transpose(x) (= x.T)
 * Reductions sum prod mean max (x, dim?) over everything or one dim; softmax(x, dim = -1)
 * Movement   at(x, i) (negative i from the end), reshape(x, ...shape), expand(x, shape)
 * Autograd   x.backward(gradient?), x.grad, x.requiresGrad, x.detach(), noGrad(fn)
 * Tools      gradcheck(fn, inputs, { eps, atol, rtol }), toDot(root, { params }),
 *            defineOp({ name, forward, backward }) to add a primitive (the built-in ops use it too)
 * Every op is also a Tensor method: U.matmul(x).add(V.matmul(h)).relu(), h.at(0).backward().
 *
 * This file is bundled alone for students (dist/autograd.js): it imports nothing outside this folder.
 */
export { Tensor, defineOp, noGrad, type ClampBounds, type OpDefinition, type TensorLike } from './tensor.ts';
export { eye, full, ones, tensor, zeros, type Nested } from './create.ts';
export * from './ops/index.ts';
import './methods.ts'; // gives Tensor the method form of every op
export { gradcheck, type GradcheckOptions, type GradcheckResult, type JacobianEntry } from './gradcheck.ts';
export { toDot } from './dot.ts';
export { formatShape, type Shape } from './shape.ts';
