/**
 * What lab.ts exports (CONTRACT section 7), each signature declared once: the specs call through
 * these, the template and the type check read them, harden probes with them. Q is [n, d] (n queries),
 * K is [m, d] (m keys), V is [m, dv] (one value row per key).
 */
import { fn, t } from 'propgrade/spec';

const queries = t.tensor('n', 'd');
const keys = t.tensor('m', 'd');
const values = t.tensor('m', 'dv');

export const attentionByHand = fn('attentionByHand', {
  params: { Q: t.tensor(2, 2), K: t.tensor(2, 2), V: t.tensor(2, 2) },
  returns: t.record({ scores: t.tensor(2, 2), weights: t.tensor(2, 2), output: t.tensor(2, 2) }),
  doc: "the lab's 2 x 2 example step by step: scores = Q K^T / sqrt(d), weights = softmax(scores) row-wise, output = weights V",
});

export const attention = fn('attention', {
  params: { Q: queries, K: keys, V: values, mask: t.optional(t.mask('n', 'm')) },
  returns: t.tensor('n', 'dv'),
  doc: 'scaled dot-product attention, one head; mask[i][j] = 0 means query i may not attend to key j (its weight is exactly 0)',
});

export const previousTokenHead = fn('previousTokenHead', {
  params: { n: t.size('n') },
  returns: t.record({ Q: t.tensor('n', 'd'), K: t.tensor('n', 'd') }),
  doc: 'queries and keys for n tokens such that, with the causal mask, every row i >= 1 puts weight >= 0.99 on position i - 1',
});

export const gradOutputWrtQ = fn('gradOutputWrtQ', {
  params: { Q: queries, K: keys, V: values, i: t.index('n'), j: t.index('dv') },
  returns: t.gradient('Q'),
  doc: 'd output[i][j] / dQ for output = attention(Q, K, V), by backward()',
});

export const softmaxJacobian = fn('softmaxJacobian', {
  params: { z: t.tensor('k') },
  returns: t.tensor('k', 'k'),
  doc: 'the Jacobian of softmax(z) for a 1-D z, diag(s) - s s^T, derived by hand (no autograd)',
});
