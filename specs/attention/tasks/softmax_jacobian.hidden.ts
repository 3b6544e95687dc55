/** softmax_jacobian's hidden properties (staff only): the reference is cross-checked by autograd (oracle.ts). */
import { expectTensorClose, property, sameAnswerAfterOtherCalls } from 'propgrade/spec';
import { softmaxJacobian } from '../exports.ts';
import { jacobianCase } from '../generators/attention.ts';
import { asArguments, run, WHAT } from './softmax_jacobian.ts';

export default [
  property({
    id: 'matches-reference',
    title: 'the Jacobian matches the reference solution (z up to 32 entries, ties, a dominant entry, large entries)',
    visibility: 'hidden',
    runs: 25,
    cases: jacobianCase({ maxK: 32 }),
    show: asArguments,
    async check(student, { z }, ctx) {
      expectTensorClose(await run(student, z), await softmaxJacobian.expected(ctx, { z }), { what: WHAT });
    },
  }),

  sameAnswerAfterOtherCalls({
    title: 'the same z gives the same Jacobian, even after calls with others',
    visibility: 'hidden',
    runs: 5,
    cases: jacobianCase({ maxK: 8 }),
    show: asArguments,
    call: (student, { z }) => run(student, z),
    what: WHAT,
  }),
];
