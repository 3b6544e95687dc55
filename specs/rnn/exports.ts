/**
 * What lab.ts exports (CONTRACT section 3), each signature declared once: the specs call through
 * these, the template and the type check read them, harden probes with them.
 */
import { fn, t, value } from 'propgrade/spec';

const matrix = t.tensor('dim', 'dim');
const vector = t.tensor('dim');

export const forwardByHand = fn('forwardByHand', {
  params: { U: matrix, V: matrix, W: matrix, x1: vector, x2: vector, h0: vector },
  returns: t.record({ h1: vector, o1: vector, h2: vector, o2: vector }),
  doc: 'two RNN steps: h_t = relu(U x_t + V h_{t-1}), o_t = W h_t',
});

export const forward = fn('forward', {
  params: { input: t.tensor('N', 'dim'), dim: t.size('dim'), U: matrix, V: matrix, W: matrix },
  returns: t.tensor('N', 'dim'),
  doc: 'the N outputs of the RNN run over the rows of input from h0 = zeros(dim)',
});

export const sequenceProbability = fn('sequenceProbability', {
  params: { seq: t.oneHot('N', 'V'), T: t.stochastic('V') },
  returns: t.scalar(),
  doc: 'the product of T[w_t, w_{t+1}] over the sequence (the first word contributes nothing)',
});

const bigramRnnType = '{ sigma: (z: Tensor) => Tensor; U: Tensor; V: Tensor; W: Tensor }';

export const tinyBigramRNN = value('tinyBigramRNN', {
  type: bigramRnnType,
  doc: "an RNN whose output at every step is the row of the lab's table T for the word just read",
});

export const bigramRNN = fn('bigramRNN', {
  params: { T: t.stochastic('V') },
  returns: { kind: 'any', type: bigramRnnType },
  doc: 'the same for any V x V table T',
});

export const gradH11WrtU = fn('gradH11WrtU', {
  params: { U: matrix, V: matrix, x1: vector, h0: vector },
  returns: t.gradient('U'),
  doc: 'the gradient of h1[0] with respect to U, where h1 = clamp(U x1 + V h0, min 0), by backward()',
});

export const bpttGradU = fn('bpttGradU', {
  params: { U: t.tensor(1), V: t.tensor(1), W: t.tensor(1), x: t.tensor('N+1'), h0: t.tensor(1) },
  returns: t.scalar(),
  doc: 'dL/dU of the scalar relu RNN, L = sum_t (x_{t+1} - o_t)^2, derived by hand',
});
