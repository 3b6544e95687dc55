/**
 * The recurrent-network lab (CONTRACT section 3): an RNN's forward pass by hand and as a function, a
 * sequence's probability under a bigram table, an RNN that behaves exactly like a bigram model,
 * gradients with autograd and, optionally, backpropagation through time by hand.
 */
import { defineLab } from 'propgrade/spec';
import * as notebook from './example.ts';
import { forward, forwardByHand } from './exports.ts';
import automaticDiff from './tasks/automatic_diff.ts';
import bigram from './tasks/bigram.ts';
import bpttGeneral from './tasks/bptt_general.ts';
import forwardByHandTask from './tasks/forward_by_hand.ts';
import forwardFunction from './tasks/forward_function.ts';
import generalBigramRNN from './tasks/general_bigram_RNN.ts';
import tinyBigramRNN from './tasks/tiny_bigram_RNN.ts';

export default defineLab({
  id: 'rnn',
  title: 'Lab 2.2: recurrent networks',
  submission: 'lab.ts',
  tasks: [forwardByHandTask, forwardFunction, bigram, tinyBigramRNN, generalBigramRNN, automaticDiff, bpttGeneral],
  reference: 'reference/lab.ts',
  hidden: 'hidden.ts',
  template: 'template/lab.ts',
  guide: 'template/README.md',
  corpus: 'corpus',
  driver: 'driver.ts',
  oracle: 'oracle.ts',
  harden: 'harden/index.ts',
  graphs: [
    { task: 'forward_by_hand', export: forwardByHand, args: { U: notebook.U, V: notebook.V, W: notebook.W, x1: notebook.x1, x2: notebook.x2, h0: notebook.h0 } },
    {
      task: 'forward_function',
      export: forward,
      args: { input: { shape: [2, 2], data: Float64Array.of(...notebook.x1.data, ...notebook.x2.data) }, dim: 2, U: notebook.U, V: notebook.V, W: notebook.W },
    },
  ],
  // The notebook's questions answered in words (its "Type your answer here" cells): staff grade them.
  questions: [
    { id: 'h-has-one-more-element', task: 'forward_by_hand', prompt: 'We defined h so that it has one more element than x and o. Why is this?' },
    { id: 'general-bigram-rnn', task: 'general_bigram_RNN', prompt: 'Given an N x N bigram matrix T, what activation sigma and parameters U, V, W make an RNN that outputs T_i given v_i?' },
    { id: 'chain-rule-one-step', prompt: 'Find a formula for dL/dU in terms of dL/do_1, do_1/dh_1 and dh_1/dU (one step).' },
    { id: 'chain-rule-two-steps', prompt: 'Find dL/dU for two steps in terms of dL/do_t, do_t/dh_t, dh_2/dh_1 and dh_t/dU. How many paths lead from U to L?' },
    { id: 'chain-rule-three-steps', prompt: 'Find dL/dU for three steps in terms of dL/do_t, do_t/dh_t, dh_t/dh_{t-1} and dh_t/dU.' },
    { id: 'partial-derivative', task: 'automatic_diff', prompt: 'Calculate the partial derivative of h1[0] with respect to U by hand (the notebook\'s first example).' },
    { id: 'chain-rule-general', task: 'bptt_general', prompt: 'Find a general formula for dL/dU over N steps in terms of dL/do_t, do_t/dh_t, dh_t/dh_{t-1} and dh_t/dU.' },
    { id: 'feedback', prompt: 'Any issues that arose or comments you have to improve the lab.' },
  ],
});
