/** Property templates that several tasks share. */
import fc from 'fast-check';
import type { LabClient, Plain } from '../sandbox/protocol.ts';
import { property } from './define.ts';
import { expectSame } from './expect.ts';
import type { PropertySpec, Visibility } from './types.ts';

/**
 * Calls the student's function on a case, then on another, then on the first again: both answers
 * to the first case must be identical. Catches state kept between calls (a cache, a global tensor
 * whose gradient accumulates, an input modified in place). The three calls are made up front, in
 * that order (callsUpFront).
 */
export function sameAnswerAfterOtherCalls<Case>(spec: {
  id?: string;
  title: string;
  visibility: Visibility;
  runs: number;
  cases: fc.Arbitrary<Case>;
  /** One call of the student's function on a case, made before it awaits anything (the property's calls go up front). */
  call(student: LabClient, input: Case): Promise<Plain>;
  what: string;
  show?(input: Case): Plain;
}): PropertySpec<[Case, Case]> {
  return property({
    id: spec.id ?? 'same-answer-after-other-calls',
    title: spec.title,
    visibility: spec.visibility,
    runs: spec.runs,
    cases: fc.tuple(spec.cases, spec.cases),
    ...(spec.show ? { show: ([a, b]: [Case, Case]) => [spec.show!(a), spec.show!(b)] } : {}),
    callsUpFront: true,
    async check(student, [a, b]) {
      const [first, , again] = await Promise.all([spec.call(student, a), spec.call(student, b), spec.call(student, a)]);
      expectSame(again, first, spec.what);
    },
  });
}
