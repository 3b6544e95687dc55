/** The lab's hidden properties, by task (staff only: the student kit never holds this folder's *.hidden.ts). */
import { hiddenProperties } from 'propgrade/spec';
import automaticDiff from './tasks/automatic_diff.hidden.ts';
import bigram from './tasks/bigram.hidden.ts';
import bpttGeneral from './tasks/bptt_general.hidden.ts';
import forwardByHand from './tasks/forward_by_hand.hidden.ts';
import forwardFunction from './tasks/forward_function.hidden.ts';
import generalBigramRNN from './tasks/general_bigram_RNN.hidden.ts';
import tinyBigramRNN from './tasks/tiny_bigram_RNN.hidden.ts';

export default hiddenProperties({
  forward_by_hand: forwardByHand,
  forward_function: forwardFunction,
  bigram,
  tiny_bigram_RNN: tinyBigramRNN,
  general_bigram_RNN: generalBigramRNN,
  automatic_diff: automaticDiff,
  bptt_general: bpttGeneral,
});
