/** The lab's hidden properties, by task (staff only: the student kit never holds this file or tasks/*.hidden.ts). */
import { hiddenProperties } from 'propgrade/spec';
import attentionAutograd from './tasks/attention_autograd.hidden.ts';
import attentionByHand from './tasks/attention_by_hand.hidden.ts';
import attentionFunction from './tasks/attention_function.hidden.ts';
import previousTokenHead from './tasks/previous_token_head.hidden.ts';
import softmaxJacobian from './tasks/softmax_jacobian.hidden.ts';

export default hiddenProperties({
  attention_by_hand: attentionByHand,
  attention_function: attentionFunction,
  previous_token_head: previousTokenHead,
  attention_autograd: attentionAutograd,
  softmax_jacobian: softmaxJacobian,
});
