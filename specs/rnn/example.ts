/**
 * The notebook's fixed data (CONTRACT section 3) and the values the notebook's own tests expected,
 * worked out by hand in the comments. The public examples of the specs check these, and the
 * `no-hardcoded-example` rule refuses a literal that writes one of the outputs down.
 */
import { plain, type PlainTensor, type RuleUse } from 'propgrade/spec';

export const U = plain([
  [-0.3, 0.6],
  [0.2, 0.1],
]);
export const V = plain([
  [0.4, 0.4],
  [0.9, -0.7],
]);
export const W = plain([
  [0.5, -0.1],
  [0.2, 0.3],
]);
export const x1 = plain([0, 1]);
export const x2 = plain([1, 0]);
export const h0 = plain([0, 0]);

/** The two RNN steps: */
export const steps = {
  // h1 = relu(U x1 + V h0) = relu([0.6, 0.1]) = [0.6, 0.1]
  h1: plain([0.6, 0.1]),
  // o1 = W h1 = [0.5 * 0.6 - 0.1 * 0.1, 0.2 * 0.6 + 0.3 * 0.1]
  o1: plain([0.29, 0.15]),
  // U x2 + V h1 = [-0.3 + 0.24 + 0.04, 0.2 + 0.54 - 0.07] = [-0.02, 0.67]: relu zeroes the first
  h2: plain([0, 0.67]),
  // o2 = W h2 = [-0.1 * 0.67, 0.3 * 0.67]
  o2: plain([-0.067, 0.201]),
};

/** The lab's bigram table over a = [1, 0], b = [0, 1]. */
export const T = plain([
  [0.75, 0.25],
  [0.4, 0.6],
]);

const words = (text: string) => plain([...text].map((w) => (w === 'a' ? [1, 0] : [0, 1])));
export const seq1 = words('aaaaaabbaa');
export const seq2 = words('babbbabbb');

// aaaaaabbaa: five aa, then ab, bb, ba, aa = 0.75^6 * 0.25 * 0.6 * 0.4
export const probabilitySeq1 = 0.75 ** 6 * 0.25 * 0.6 * 0.4;
// babbbabbb: ba ab bb bb ba ab bb bb = (0.4 * 0.25)^2 * 0.6^4
export const probabilitySeq2 = (0.4 * 0.25) ** 2 * 0.6 ** 4;

// d h1[0] / dU: h1[0] = relu(U[0,:] . x1 + V[0,:] . h0) with pre-activation 0.6 > 0, so the gradient
// is x1 in row 0 and nothing elsewhere.
export const gradH11 = plain([
  [0, 1],
  [0, 0],
]);

/**
 * Section 4's scalar RNN: U = 0.1, V = 0.2, W = 0.3, x = [0.5, 0.6, 0.7, 0.8], h0 = 0.
 * Forward: h = [0.05, 0.07, 0.084], o = W h = [0.015, 0.021, 0.0252], every pre-activation > 0.
 * dL/do_t = 2 (o_t - x_{t+1}) = [-1.17, -1.358, -1.5496]; dh_t/dU = x_t + V dh_{t-1}/dU = [0.5, 0.7, 0.84].
 * dL/dU = W sum_t dL/do_t dh_t/dU over the first N steps:
 */
export const scalarRnn = { U: 0.1, V: 0.2, W: 0.3, x: [0.5, 0.6, 0.7, 0.8], h0: 0 };
export const bpttGradU = [
  { N: 1, value: 0.3 * (-1.17 * 0.5) }, // -0.1755
  { N: 2, value: 0.3 * (-1.17 * 0.5 - 1.358 * 0.7) }, // -0.46068
  { N: 3, value: 0.3 * (-1.17 * 0.5 - 1.358 * 0.7 - 1.5496 * 0.84) }, // -0.8511792
];

const nested = (t: PlainTensor): number | number[] | number[][] =>
  t.shape.length === 1 ? Array.from(t.data) : Array.from({ length: t.shape[0]! }, (_, i) => Array.from(t.data.subarray(i * t.shape[1]!, (i + 1) * t.shape[1]!)));

/**
 * The example's answers must be computed, not written down: its inputs may be copied freely, its
 * outputs (h1, o1, h2, o2 and the gradient of h1[0]) may not.
 */
export const noHardcodedExample: RuleUse = {
  rule: 'no-hardcoded-example',
  fix: "Compute the result from the arguments instead of writing the notebook's answer.",
  data: {
    inputs: { U: nested(U), V: nested(V), W: nested(W), x1: nested(x1), x2: nested(x2), h0: nested(h0) },
    outputs: { h1: nested(steps.h1), o1: nested(steps.o1), h2: nested(steps.h2), o2: nested(steps.o2), gradH11WrtU: nested(gradH11) },
  },
};
