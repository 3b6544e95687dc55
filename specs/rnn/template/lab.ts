/**
 * Lab 2-2: recurrent neural networks, by hand and by program.
 *
 * You compute an RNN forward (outputs from inputs), build RNNs that behave exactly like a bigram
 * language model, and take gradients backward: once with the engine's autograd, once (optional)
 * derived on paper. Fill in every function marked TODO. Import nothing but `propgrade/autograd`.
 *
 * Check your work locally with `npx propgrade check` (see README.md).
 */
import { clamp, eye, stack, tensor, zeros, type Tensor } from 'propgrade/autograd';

/* ------------------------------------------------------------------------------------------------
 * 1. The forward step
 *
 * An RNN reads inputs x_1 .. x_N one at a time. It carries a hidden state: before reading anything
 * the state is h_0, and each input updates it. Each updated state also produces an output score:
 *
 *     h_t = sigma(U x_t + V h_{t-1})        the new hidden state
 *     o_t = W h_t                           the output score at step t
 *
 * The same three weight matrices U, V, W serve every step; there are no bias terms. (A classifier
 * would turn each score into a distribution, y_t = softmax(o_t); this lab stops at o_t.)
 *
 * Question for you: the states are h_0 .. h_N but the inputs and outputs only x_1 .. x_N and
 * o_1 .. o_N. Why does h have one more element than x and o? (Answer in the ANSWER block at the end.)
 *
 * In this lab sigma is the rectified linear unit, relu(z) = max(0, z), applied elementwise.
 * ---------------------------------------------------------------------------------------------- */

/** relu(z) = max(0, z) elementwise, written as a clamp from below at 0 (given, do not change). */
export function relu(z: Tensor): Tensor {
  return clamp(z, { min: 0 });
}

// The example network: dim = 2, so U, V and W are 2 x 2, and the input has N = 2 steps.
export const U = tensor([
  [-0.3, 0.6],
  [0.2, 0.1],
]);
export const V = tensor([
  [0.4, 0.4],
  [0.9, -0.7],
]);
export const W = tensor([
  [0.5, -0.1],
  [0.2, 0.3],
]);
export const x1 = tensor([0, 1]);
export const x2 = tensor([1, 0]);
export const h0 = tensor([0, 0]);

export interface TwoSteps {
  h1: Tensor;
  o1: Tensor;
  h2: Tensor;
  o2: Tensor;
}

/**
 * Task `forward_by_hand`: two RNN steps written out one line each, from the state h0.
 * Use `relu` above and the engine's operations (`U.matmul(x1)`, `.add(...)`, ...).
 * The grader calls this with other matrices and vectors too, not only the example above.
 */
export function forwardByHand(U: Tensor, V: Tensor, W: Tensor, x1: Tensor, x2: Tensor, h0: Tensor): TwoSteps {
  throw new Error('TODO: forwardByHand: compute h1, o1, h2 and o2');
}

/**
 * Task `forward_function`: the forward computation for any number of steps.
 *
 * @param input the N inputs as rows, shape [N, dim] (`input.at(t)` is x_{t+1})
 * @param dim the size of every x, h and o vector
 * @param U, V, W the weights, each [dim, dim]
 * @returns the N outputs o_1 .. o_N as rows of a [N, dim] tensor (`stack` builds one)
 *
 * The state starts at zeros(dim) on every call: nothing may carry over from one call to the next.
 */
export function forward(input: Tensor, dim: number, U: Tensor, V: Tensor, W: Tensor): Tensor {
  throw new Error('TODO: forward: run the RNN over every row of input');
}

/* ------------------------------------------------------------------------------------------------
 * 2. Bigram language models
 *
 * A bigram model predicts each word from the one before it. Over a vocabulary v_1 .. v_V it is a
 * V x V table T whose entry T[i][j] is the probability that v_j comes right after v_i. Each row is
 * a probability distribution over the next word, so every row sums to 1.
 *
 * Here the vocabulary is two words, a = [1, 0] and b = [0, 1] (one-hot rows), with the table below.
 * The probability of a sequence is the product of T[w_t][w_{t+1}] over its consecutive pairs. The
 * first word has no word before it, so it contributes nothing: a one-word sequence has probability 1.
 * ---------------------------------------------------------------------------------------------- */

export const T = tensor([
  [0.75, 0.25],
  [0.4, 0.6],
]);
export const a = [1, 0];
export const b = [0, 1];
/** The sequences aaaaaabbaa and babbbabbb as [N, 2] tensors of one-hot rows. Which is more likely? */
export const seq1 = tensor([a, a, a, a, a, a, b, b, a, a]);
export const seq2 = tensor([b, a, b, b, b, a, b, b, b]);

/**
 * Task `bigram`: the probability of `seq` under the bigram table `T`.
 *
 * @param seq shape [N, V], row t the one-hot vector of the t-th word
 * @param T shape [V, V], T[i][j] = P(v_j | v_i) (any table: not only the lab's T above)
 * @returns a tensor holding one number (shape [] or [1]; a plain number is accepted too)
 *
 * It must work for any vocabulary size V, not only the two words above.
 */
export function sequenceProbability(seq: Tensor, T: Tensor): Tensor {
  throw new Error('TODO: sequenceProbability: multiply the table entries of consecutive word pairs');
}

/* ------------------------------------------------------------------------------------------------
 * 3. A bigram model as an RNN
 *
 * An RNN can do everything a bigram model does. Choose sigma, U, V and W so that, fed the one-hot
 * words of any sentence from h_0 = 0, the RNN outputs at every step the row of T for the word it just
 * read: after reading v_i the output o_t = W sigma(U x_t + V h_{t-1}) must equal T_i, the
 * distribution of the next word. For example, a sentence starting with a = [1, 0] must give
 * o_1 = W sigma(U [1, 0] + V h_0) = [0.75, 0.25], and so on for every later step.
 *
 * Hints: take sigma to be the identity, z => z. Work it out on paper first. Ask yourself what the
 * output at step t may depend on, and so what the previous state h_{t-1} should contribute.
 * ---------------------------------------------------------------------------------------------- */

export interface BigramRNN {
  /** The activation, applied to the [dim] vector U x_t + V h_{t-1}. */
  sigma: (z: Tensor) => Tensor;
  /** [dim, vocabulary size] */
  U: Tensor;
  /** [dim, dim] */
  V: Tensor;
  /** [vocabulary size, dim] */
  W: Tensor;
}

/** Task `tiny_bigram_RNN`: an RNN that behaves exactly like the two-word table T above. */
export const tinyBigramRNN: BigramRNN = {
  sigma: (z) => z,
  // TODO: replace these three getters by your matrices, e.g. `U: tensor([[..., ...], [..., ...]]),`.
  get U(): Tensor {
    throw new Error('TODO: tinyBigramRNN.U');
  },
  get V(): Tensor {
    throw new Error('TODO: tinyBigramRNN.V');
  },
  get W(): Tensor {
    throw new Error('TODO: tinyBigramRNN.W');
  },
};

/**
 * Task `general_bigram_RNN`: the same construction for any V x V table (V may be much larger than 2,
 * and some entries may be 0).
 */
export function bigramRNN(T: Tensor): BigramRNN {
  throw new Error('TODO: bigramRNN: build sigma, U, V and W from the table');
}

/* ------------------------------------------------------------------------------------------------
 * 4. The backward step
 *
 * Training compares each output with the word that really comes next, by squared error:
 *
 *     L = sum over t = 1 .. N of (x_{t+1} - o_t)^2
 *
 * and moves every weight against the derivative of L. The chain rule gives that derivative: U reaches
 * L along one path per pair (step where U is used, later output it influences), through the states
 * in between. Autograd follows exactly those paths for you: every operation records where its
 * result came from, and `backward()` walks that record from the result back to the leaves, filling
 * in `.grad` on every leaf that has `requiresGrad` set.
 * ---------------------------------------------------------------------------------------------- */

/**
 * Task `automatic_diff`: the gradient of the first element of h1 = relu(U x1 + V h0) with respect to
 * the whole matrix U, a [dim, dim] tensor, computed by the engine.
 *
 * U arrives as a plain leaf: set `U.requiresGrad = true` before using it, build h1, call
 * `.backward()` on its first element (`h1.at(0)`), and return `U.grad`. You must use backward().
 *
 * On paper first: which entries of U can change h1[0] at all? (You do not need to know sigma to say.)
 */
export function gradH11WrtU(U: Tensor, V: Tensor, x1: Tensor, h0: Tensor): Tensor {
  throw new Error('TODO: gradH11WrtU: build h1 from a U that requires grad, then backward()');
}

/**
 * Task `bptt_general` (optional, 0 points): backpropagation through time, derived by hand.
 *
 * A scalar RNN: U, V, W, h0 and every x_t are single numbers (tensors of shape [1]), sigma is relu,
 * and x = [x_1 .. x_{N+1}] holds the N inputs plus the word after the last one (the target of the
 * last step). With o_t = W h_t and L = sum_{t=1..N} (x_{t+1} - o_t)^2, return dL/dU as a number.
 *
 * Do not use autograd here (no requiresGrad, no backward()): plain arithmetic on numbers only, e.g.
 * `U.item()` and `x.tolist()`. Count the paths from U to L: for N = 1, 2, 3 how many are there? Each
 * output o_t depends on U through every earlier step, so you need how h_t changes with h_{t-1}
 * (relu's slope times V) as well as how it changes with U directly.
 */
export function bpttGradU(U: Tensor, V: Tensor, W: Tensor, x: Tensor, h0: Tensor): number {
  throw new Error('TODO (optional): bpttGradU: derive dL/dU by hand');
}

/* ------------------------------------------------------------------------------------------------
 * 5. Questions answered in words
 *
 * Course staff read and grade these by hand (nothing here is scored automatically). Write each
 * answer between its ANSWER line and the closing star-slash; keep the ANSWER lines as they are.
 * ---------------------------------------------------------------------------------------------- */

/* ANSWER h-has-one-more-element
   Q: We defined h so that it has one more element than x and o. Why is this?

   (your answer here)
*/

/* ANSWER general-bigram-rnn
   Q: Given an N x N bigram matrix T, what activation sigma and parameters U, V, W make an RNN that outputs T_i given v_i?

   (your answer here)
*/

/* ANSWER chain-rule-one-step
   Q: Find a formula for dL/dU in terms of dL/do_1, do_1/dh_1 and dh_1/dU (one step).

   (your answer here)
*/

/* ANSWER chain-rule-two-steps
   Q: Find dL/dU for two steps in terms of dL/do_t, do_t/dh_t, dh_2/dh_1 and dh_t/dU. How many paths lead from U to L?

   (your answer here)
*/

/* ANSWER chain-rule-three-steps
   Q: Find dL/dU for three steps in terms of dL/do_t, do_t/dh_t, dh_t/dh_{t-1} and dh_t/dU.

   (your answer here)
*/

/* ANSWER partial-derivative
   Q: Calculate the partial derivative of h1[0] with respect to U by hand (the notebook's first example).

   (your answer here)
*/

/* ANSWER chain-rule-general
   Q: Find a general formula for dL/dU over N steps in terms of dL/do_t, do_t/dh_t, dh_t/dh_{t-1} and dh_t/dU.

   (your answer here)
*/

/* ANSWER feedback
   Q: Any issues that arose or comments you have to improve the lab.

   (your answer here)
*/
