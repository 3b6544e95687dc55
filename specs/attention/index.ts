/**
 * The attention lab (CONTRACT section 7): scaled dot-product attention with one head and no batch
 * dimension, first by hand on a 2 x 2 example, then as a function with an optional mask; a head
 * designed to attend to the previous token; a gradient by autograd; and, optionally, the softmax's
 * Jacobian derived by hand.
 */
import { defineLab } from 'propgrade/spec';
import * as example from './example.ts';
import { attention, attentionByHand } from './exports.ts';
import attentionAutograd from './tasks/attention_autograd.ts';
import attentionByHandTask from './tasks/attention_by_hand.ts';
import attentionFunction from './tasks/attention_function.ts';
import previousTokenHead from './tasks/previous_token_head.ts';
import softmaxJacobian from './tasks/softmax_jacobian.ts';

export default defineLab({
  id: 'attention',
  title: 'Lab 3.1: scaled dot-product attention',
  submission: 'lab.ts',
  tasks: [attentionByHandTask, attentionFunction, previousTokenHead, attentionAutograd, softmaxJacobian],
  reference: 'reference/lab.ts',
  hidden: 'hidden.ts',
  template: 'template/lab.ts',
  guide: 'template/README.md',
  corpus: 'corpus',
  oracle: 'oracle.ts',
  harden: 'harden/index.ts',
  graphs: [
    { task: 'attention_by_hand', export: attentionByHand, args: { Q: example.Q, K: example.K, V: example.V } },
    { task: 'attention_function', export: attention, args: { Q: example.Q, K: example.K, V: example.V, mask: example.mask } },
  ],
  questions: [
    { id: 'why-sqrt-d', task: 'attention_by_hand', prompt: 'Why are the scores divided by √d? What happens to the weights when d grows and they are not?' },
    { id: 'mask-by-arithmetic', task: 'attention_function', prompt: 'How did you make a masked weight exactly 0, and why does adding -Infinity to the masked scores not work with mask arithmetic?' },
    { id: 'head-design', task: 'previous_token_head', prompt: 'Describe your previous-token head: what do its keys encode, what do its queries look for, and how did you choose its scale?' },
    { id: 'gradient-rows', task: 'attention_autograd', prompt: 'Why is the gradient of output[i][j] with respect to Q zero outside row i?' },
    { id: 'feedback', prompt: 'Any issues that arose or comments you have to improve the lab.' },
  ],
});
