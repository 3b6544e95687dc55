/** Every task's grader, in the contract's order (CONTRACT.md section 3). */
import type { TaskSpec } from '../src/spec/types.ts';
import automaticDiff from './automatic_diff.ts';
import bigram from './bigram.ts';
import bpttGeneral from './bptt_general.ts';
import forwardByHand from './forward_by_hand.ts';
import forwardFunction from './forward_function.ts';
import generalBigramRNN from './general_bigram_RNN.ts';
import tinyBigramRNN from './tiny_bigram_RNN.ts';

export const TASKS: TaskSpec[] = [forwardByHand, forwardFunction, bigram, tinyBigramRNN, generalBigramRNN, automaticDiff, bpttGeneral];

export const taskById = (id: string): TaskSpec => {
  const task = TASKS.find((t) => t.id === id);
  if (!task) throw new Error(`no task '${id}' (tasks: ${TASKS.map((t) => t.id).join(', ')})`);
  return task;
};
