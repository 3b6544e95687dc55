/**
 * Lab 3.1: scaled dot-product attention, by hand and by program.
 *
 * Attention lets every position of a sequence gather information from the other positions, weighted
 * by how well they match. You compute it step by step on a small example, write it as a function
 * (with a mask that forbids some positions), design a head that always looks at the previous token,
 * and take a gradient through it with autograd. Optionally, you derive the softmax's Jacobian by hand.
 * Fill in every function that throws "not done yet". Import nothing but `propgrade/autograd`.
 *
 * Check your work locally with `npx propgrade check lab/` (see README.md).
 */
import { diag, eye, softmax, stack, tensor, zeros, type Tensor } from 'propgrade/autograd';

/* ------------------------------------------------------------------------------------------------
 * 1. Queries, keys and values
 *
 * A sequence of n positions asks n questions, the queries: the rows q_0 .. q_{n-1} of Q, an [n, d]
 * tensor. It can be answered from m positions, each with a key k_j (the rows of K, [m, d]) saying
 * what it holds and a value v_j (the rows of V, [m, dv]) saying what it hands over. One head of
 * attention, with no batch dimension, computes
 *
 *     scores  = Q Kᵀ / √d           [n, m]   scores[i][j] = q_i · k_j / √d: how well key j matches query i
 *     weights = softmax(scores)     [n, m]   row by row (over the last dimension), so each row sums to 1
 *     output  = weights V           [n, dv]  row i is a weighted mean of the values
 *
 * where d is the number of columns of Q (and of K). The softmax of a row s is e^{s_j} / sum_l e^{s_l}:
 * positive weights that sum to 1, the largest where the score is largest.
 *
 * Why divide by √d? If the entries of q and k are independent with variance 1, the dot product q · k
 * is a sum of d terms and has variance d. Without the division the scores grow with d, the softmax
 * saturates (one weight near 1, the others near 0) and its gradients vanish.
 * ---------------------------------------------------------------------------------------------- */

// The lab's example: two queries, two keys, two values, d = dv = 2.
export const exampleQ = tensor([
  [1, 0],
  [1, 2],
]);
export const exampleK = tensor([
  [3, 1],
  [0, 2],
]);
export const exampleV = tensor([
  [1, 2],
  [3, -1],
]);

export interface AttentionSteps {
  scores: Tensor;
  weights: Tensor;
  output: Tensor;
}

/**
 * Task `attention_by_hand`: the three steps above, one line each, for a 2 x 2 example like the one
 * above. Work out the example's scores, weights and output on paper first (the softmax of a row of
 * two numbers [a, b] is [1 / (1 + e^(b - a)), 1 / (1 + e^(a - b))]), then compute them with the
 * engine: `Q.matmul(K.T)`, `.div(...)`, `softmax(x, -1)`. The grader calls this with other 2 x 2
 * tensors too, so compute from the arguments: never write the example's numbers down.
 */
export function attentionByHand(Q: Tensor, K: Tensor, V: Tensor): AttentionSteps {
  throw new Error('not done yet: attentionByHand: compute scores, weights and output');
}

/* ------------------------------------------------------------------------------------------------
 * 2. Attention as a function, with a mask
 *
 * A mask says which positions each query may look at: mask[i][j] = 1 if query i may attend to key j,
 * 0 if not. A language model that predicts the next token must not look ahead, so position i may see
 * positions j <= i only: the causal mask,
 *
 *     [[1, 0, 0],
 *      [1, 1, 0],
 *      [1, 1, 1]]      for three tokens.
 *
 * A masked position must get weight exactly 0 and the other weights of its row must still sum to 1:
 * the softmax runs over the allowed positions only. Every row of a mask has at least one 1.
 *
 * The engine has no "masked fill": build the masked scores with arithmetic on the mask. Think about
 * which number you add at a masked position so that exp of it is exactly 0, and check what your
 * formula does at the positions that are NOT masked (0 * Infinity is NaN).
 *
 * The softmax must also survive large scores: e^710 is already Infinity in float64, and
 * Infinity / Infinity is NaN. The engine's `softmax` subtracts each row's largest score first
 * (which changes nothing, since softmax(s + c) = softmax(s)); if you write your own, do the same.
 * ---------------------------------------------------------------------------------------------- */

/** The causal mask of the example's two tokens. */
export const exampleMask = tensor([
  [1, 0],
  [1, 1],
]);

/**
 * Task `attention_function`: attention for any sizes.
 *
 * @param Q [n, d] queries
 * @param K [m, d] keys
 * @param V [m, dv] values
 * @param mask optional [n, m] of 0 and 1; without it every query may attend to every key
 * @returns the [n, dv] output
 *
 * Properties the grader checks (among others): reordering the keys together with their values
 * changes nothing; adding the same vector to every key changes nothing (why?); each output row is a
 * weighted mean of the values its query may see.
 */
export function attention(Q: Tensor, K: Tensor, V: Tensor, mask?: Tensor): Tensor {
  throw new Error('not done yet: attention: scores, mask, softmax, weighted values');
}

/* ------------------------------------------------------------------------------------------------
 * 3. Designing a head: attend to the previous token
 *
 * Trained transformers grow heads with recognisable jobs. One of the simplest is the previous-token
 * head: at every position i it looks at position i - 1. Here you build one by hand instead of
 * training it: choose Q and K (both [n, d], any d >= 1 you like) so that, with V = eye(n) and the
 * causal mask, attention puts weight at least 0.99 on position i - 1 for every row i >= 1.
 *
 * The grader runs its own attention on your Q and K (not your attention function), for many n, from
 * 1 to more than a hundred.
 *
 * Hints: what could key j hold so that a query can pick out exactly one position? How large must the
 * winning score be, compared to the others, for a weight of 0.99 when up to n - 1 other positions
 * compete? Do not forget that the scores are divided by √d.
 * ---------------------------------------------------------------------------------------------- */

export interface Head {
  /** [n, d] */
  Q: Tensor;
  /** [n, d] */
  K: Tensor;
}

/** Task `previous_token_head`: Q and K of a previous-token head for n tokens. */
export function previousTokenHead(n: number): Head {
  throw new Error('not done yet: previousTokenHead: choose Q and K for n tokens');
}

/* ------------------------------------------------------------------------------------------------
 * 4. A gradient by autograd
 *
 * Training moves Q (through the weights that make it) against the gradient of a loss. Autograd
 * records every operation from Q to the output; `backward()` on one number walks that record back and
 * fills `.grad` of every leaf that has `requiresGrad` set.
 * ---------------------------------------------------------------------------------------------- */

/**
 * Task `attention_autograd`: the gradient of output[i][j] with respect to the whole of Q, an [n, d]
 * tensor, for output = attention(Q, K, V) (no mask).
 *
 * Q arrives as a plain leaf: set `Q.requiresGrad = true`, compute the output with your `attention`,
 * call `.backward()` on `output.at(i).at(j)` and return `Q.grad`. You must use backward().
 *
 * On paper first: which rows of Q can change output[i][j] at all?
 */
export function gradOutputWrtQ(Q: Tensor, K: Tensor, V: Tensor, i: number, j: number): Tensor {
  throw new Error('not done yet: gradOutputWrtQ: compute the output from a Q that requires grad, then backward()');
}

/* ------------------------------------------------------------------------------------------------
 * 5. The softmax's Jacobian, by hand (optional, 0 points)
 *
 * For a 1-D z of k entries and s = softmax(z), the Jacobian J is the k x k matrix with
 * J[r][c] = d s_r / d z_c. Derive it on paper from s_r = e^{z_r} / sum_l e^{z_l}, treating the cases
 * r = c and r != c apart, and write the result with `diag`, a product of s with itself, and `sub`.
 *
 * Checks you can make yourself: every row of J sums to 0 (why?), and J is symmetric.
 * ---------------------------------------------------------------------------------------------- */

/** An example z: e^z = [1, 2, 5], so softmax(z) = [1/8, 2/8, 5/8]. */
export const exampleZ = tensor([0, Math.log(2), Math.log(5)]);

/**
 * Task `softmax_jacobian` (optional): the Jacobian of softmax at z, a [k, k] tensor.
 * Do not use autograd here (no requiresGrad, no backward(), no .grad): the engine's `softmax` for s
 * and forward operations only.
 */
export function softmaxJacobian(z: Tensor): Tensor {
  throw new Error('not done yet (optional): softmaxJacobian: diag and an outer product');
}

/* ------------------------------------------------------------------------------------------------
 * Questions answered in words
 *
 * Course staff read and grade these by hand (nothing here is scored automatically). Write each
 * answer between its ANSWER line and the closing star-slash; keep the ANSWER lines as they are.
 * ---------------------------------------------------------------------------------------------- */

/* ANSWER why-sqrt-d
   Q: Why are the scores divided by √d? What happens to the weights when d grows and they are not?

   (your answer here)
*/

/* ANSWER mask-by-arithmetic
   Q: How did you make a masked weight exactly 0, and why does adding -Infinity to the masked scores not work with mask arithmetic?

   (your answer here)
*/

/* ANSWER head-design
   Q: Describe your previous-token head: what do its keys encode, what do its queries look for, and how did you choose its scale?

   (your answer here)
*/

/* ANSWER gradient-rows
   Q: Why is the gradient of output[i][j] with respect to Q zero outside row i?

   (your answer here)
*/

/* ANSWER feedback
   Q: Any issues that arose or comments you have to improve the lab.

   (your answer here)
*/
