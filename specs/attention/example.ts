/**
 * The lab's fixed example (the template states it): two queries, two keys and two values in d = 2
 * dimensions, chosen so that no two scores of a row tie. The values the example must give are
 * worked out by hand in the comments and written here from their closed forms (never by running an
 * attention function). The public examples of the specs check them, and the `no-hardcoded-example`
 * rule refuses a literal in a submission that writes one of them down.
 */
import { plain, type RuleUse } from 'propgrade/spec';

/** The inputs as nested rows, as the template writes them. */
const rows = {
  Q: [
    [1, 0],
    [1, 2],
  ],
  K: [
    [3, 1],
    [0, 2],
  ],
  V: [
    [1, 2],
    [3, -1],
  ],
  /** The causal mask of two tokens: query 0 may attend to key 0 only. */
  mask: [
    [1, 0],
    [1, 1],
  ],
};

export const Q = plain(rows.Q);
export const K = plain(rows.K);
export const V = plain(rows.V);
export const mask = plain(rows.mask);

const r2 = Math.SQRT2; // d = 2: the scores are divided by sqrt(2)
/** The logistic function: softmax([a, b]) = [σ(a − b), σ(b − a)]. */
const sigma = (x: number) => 1 / (1 + Math.exp(-x));

// Q Kᵀ = [[1·3 + 0·1, 1·0 + 0·2], [1·3 + 2·1, 1·0 + 2·2]] = [[3, 0], [5, 4]]
// scores = Q Kᵀ / √2 = [[2.1213203436, 0], [3.5355339059, 2.8284271247]]
const scores = [
  [3 / r2, 0],
  [5 / r2, 4 / r2],
];
// row 0: softmax([3/√2, 0])    = [σ(3/√2), σ(−3/√2)] = [0.8929581985, 0.1070418015]
// row 1: softmax([5/√2, 4/√2]) = [σ(1/√2), σ(−1/√2)] = [0.6697615493, 0.3302384507]
const weights = [
  [sigma(3 / r2), sigma(-3 / r2)],
  [sigma(1 / r2), sigma(-1 / r2)],
];
// output row i = w_i0 V[0] + w_i1 V[1] = V[0] + w_i1 (V[1] − V[0]) = [1, 2] + w_i1 [2, −3]
//   = [[1.2140836029, 1.6788745956], [1.6604769013, 1.0092846480]]
const output = weights.map(([, w1]) => [1 + 2 * w1!, 2 - 3 * w1!]);
// With the causal mask, query 0 sees key 0 alone: weights [1, 0], output V[0] = [1, 2]. Query 1
// sees both keys, as before.
const maskedOutput = [rows.V[0]!, output[1]!];

/** The example's gradient: d output[1][0] / dQ. */
export const gradient = { i: 1, j: 0 };
// output[1][0] = 1 + 2 w_11, and w_11 = σ((q_1·k_1 − q_1·k_0)/√2), so
// d output[1][0] / dq_1 = 2 w_11 (1 − w_11) (k_1 − k_0)/√2 = 2 · 0.6697615493 · 0.3302384507 · [−3, 1]/√2
//   = [−0.9383915793, 0.3127971931]; row 0 of Q does not reach output[1][0], so row 0 is 0.
const gradRow = [-3, 1].map((x) => (2 * weights[1]![0]! * weights[1]![1]! * x) / r2);
const gradOutputWrtQ = [[0, 0], gradRow];

/** The Jacobian's example: e^z = [1, 2, 5], so softmax(z) = [1/8, 2/8, 5/8]. */
const zValues = [0, Math.log(2), Math.log(5)];
export const z = plain(zValues);
// diag(s) − s sᵀ = (1/64) [[8 − 1, −2, −5], [−2, 16 − 4, −10], [−5, −10, 40 − 25]]
const softmaxJacobian = [
  [7, -2, -5],
  [-2, 12, -10],
  [-5, -10, 15],
].map((row) => row.map((x) => x / 64));

/** What the example must give, as the specs compare it. */
export const answers = {
  scores: plain(scores),
  weights: plain(weights),
  output: plain(output),
  maskedOutput: plain(maskedOutput),
  gradOutputWrtQ: plain(gradOutputWrtQ),
  softmaxJacobian: plain(softmaxJacobian),
};

/** The example's length for the previous-token head. */
export const headLength = 4;

/**
 * The example's answers must be computed, not written down: its inputs may be copied freely (so 0,
 * 1, 2, 3 and -1 are never flagged on their own), its outputs may not.
 */
export const noHardcodedExample: RuleUse = {
  rule: 'no-hardcoded-example',
  fix: "Compute the result from the arguments instead of writing the lab example's answer.",
  data: {
    inputs: { ...rows, z: zValues },
    outputs: { scores, weights, output, maskedOutput, gradOutputWrtQ, softmaxJacobian },
  },
};
