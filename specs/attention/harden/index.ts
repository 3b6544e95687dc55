/**
 * What `propgrade harden` adds for this lab (staff only): the attention mistakes of operators.ts,
 * and the head's small cases. Every other export is searched on cases drawn from its signature.
 */
import { defineHarden, Mismatch, type Plain } from 'propgrade/spec';
import { expectPreviousToken } from '../tasks/previous_token_head.ts';
import { OPERATORS } from './operators.ts';

/** Head lengths: every n up to 64, then the long heads the hidden property tries. */
const LENGTHS = [...Array.from({ length: 64 }, (_, i) => i + 1), 80, 96, 112, 128];

export default defineHarden({
  operators: OPERATORS,
  probes: {
    // A design has many right answers: two heads are the same when both meet the task's bar at n.
    previousTokenHead: {
      covers: `n = 1 to 64 and ${LENGTHS.slice(64).join(', ')}, each head judged by the grader's attention (weight >= 0.99 on the previous token)`,
      *cases() {
        for (const n of LENGTHS) yield { args: [n] };
      },
      view(answer: Plain, probe) {
        try {
          expectPreviousToken(answer, probe.args[0] as number);
          return 1;
        } catch (error) {
          if (error instanceof Mismatch) return 0;
          throw error;
        }
      },
    },
  },
});
