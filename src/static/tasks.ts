/**
 * Which exports each task grades and which rules its spec switches on. The specs are the source
 * (`specs/index.ts`); until they exist, the contract's map below stands in for them.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TaskSpec } from '../spec/types.ts';
import type { TaskRules } from './index.ts';

/** CONTRACT.md section 3, with the rules the lab's wording asks for. */
export const CONTRACT_TASKS: TaskRules[] = [
  { id: 'forward_by_hand', exports: ['forwardByHand'], rules: [{ rule: 'no-hardcoded-example' }] },
  { id: 'forward_function', exports: ['forward'], rules: [{ rule: 'no-hardcoded-example' }] },
  { id: 'bigram', exports: ['sequenceProbability'], rules: [] },
  { id: 'tiny_bigram_RNN', exports: ['tinyBigramRNN'], rules: [] },
  { id: 'general_bigram_RNN', exports: ['bigramRNN'], rules: [] },
  { id: 'automatic_diff', exports: ['gradH11WrtU'], rules: [{ rule: 'uses-backward' }, { rule: 'no-hardcoded-example' }] },
  { id: 'bptt_general', exports: ['bpttGradU'], rules: [{ rule: 'no-autograd' }] },
];

const SPECS = new URL('../../specs/index.ts', import.meta.url);

/** The tasks as the specs declare them, or the contract's map when there are no specs yet. */
export async function loadTasks(): Promise<TaskRules[]> {
  if (!existsSync(fileURLToPath(SPECS))) return CONTRACT_TASKS;
  const specs = (await import(SPECS.href)) as { TASKS: TaskSpec[] };
  return specs.TASKS.map(({ id, exports, rules }) => ({ id, exports, rules }));
}
