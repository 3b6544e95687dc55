/** forward_function's hidden properties (staff only). */
import { expectRowsClose, property } from 'propgrade/spec';
import { forward } from '../exports.ts';
import { forwardCase } from '../generators/cases.ts';
import { asArguments, run, WHAT } from './forward_function.ts';

export default [
  property({
    id: 'matches-reference',
    title: 'the outputs match the reference solution at every step (dim up to 32, N up to 64)',
    visibility: 'hidden',
    runs: 30,
    callsUpFront: true,
    cases: forwardCase(),
    show: asArguments,
    async check(lab, c, ctx) {
      expectRowsClose(await run(lab, c), await forward.expected(ctx, c), { what: WHAT });
    },
  }),
];
