/**
 * Calls sent ahead, for a property whose check makes every call of a case before it awaits any
 * answer (PropertySpec.callsUpFront): the next cases' calls are on their way to the student's
 * process while this case is checked, so the process works through them in turn instead of
 * waiting for the grader, and neither process is woken once a call (what a call costs, mostly, on
 * a virtual machine: README, "The sandbox's round trip").
 *
 * Exact: the module sees the very calls, in the very order, that checking the cases one by one
 * makes, up to the first failing case (after it, the rest of the window has run too, and shrinking
 * then calls as it goes). A case's calls are learnt by starting its check on a stand-in module
 * whose answers never come: what it asked for before the first await is the whole of its calls.
 * The cases are fast-check's own, drawn ahead by `fc.sample` at the property's seed, and drawn once:
 * fast-check's run is handed the very values sampled (drawnOnce), so a check must leave its case as
 * it found it (the stand-in's check and the real one share it). A check that then asks
 * for anything else breaks the declaration, a fault of the lab, and is reported so.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { NotRun, StudentError, type LabClient, type StudentFailureKind } from '../sandbox/protocol.ts';
import type { CheckContext, PropertySpec } from './types.ts';

/** Cases whose calls are on their way at most; refilled when half have been checked. */
export const WINDOW = 16;

type Method = 'call' | 'drive' | 'traced' | 'graph' | 'exports';
interface Planned {
  method: Method;
  args: unknown[];
  answer: Promise<unknown>;
}

/** A lab's check that asks, once its calls are known, for a call it had not asked for up front. */
export class UpFrontBroken extends Error {
  override name = 'UpFrontBroken';
}

/** Failures after which the process that gave them is gone (src/sandbox/process.ts). */
const ENDS_PROCESS = new Set<StudentFailureKind>(['timeout', 'crashed', 'protocol']);

const METHODS: Method[] = ['call', 'drive', 'traced', 'graph', 'exports'];
const never = new Promise<never>(() => {});

/** A module that notes each request and never answers, and a context whose answers never come either. */
function standIn(): { lab: LabClient; ctx: CheckContext; asked: Array<{ method: Method; args: unknown[] }> } {
  const asked: Array<{ method: Method; args: unknown[] }> = [];
  const lab = Object.fromEntries(METHODS.map((method) => [method, (...args: unknown[]) => (asked.push({ method, args }), never)])) as unknown as LabClient;
  const silent = Object.fromEntries(METHODS.map((method) => [method, () => never])) as unknown as LabClient;
  return { lab: { ...lab, close: async () => {} }, ctx: { reference: silent, graderBug: () => {}, expected: () => never }, asked };
}

/** A case's context, drawn ahead: how to draw it again (its run's random stream before the draw, and the bias), should it need shrinking. */
class DrawAgain {
  constructor(
    readonly random: fc.Random,
    readonly bias: number | undefined,
  ) {}
}

/**
 * `cases` as fast-check's run at `seed` draws them, drawn ahead a window at a time (`drawAhead`,
 * into `values`), and `arbitrary`, which hands that run those very values instead of drawing them
 * again; past them it is `cases`. Each run's random stream is its own (fast-check clones it per
 * run), so the draws before a window need not be made again. A value drawn ahead keeps no shrinking
 * context (contexts kept for a window of cases cost the garbage collector more than drawing twice):
 * only a failing case is drawn again, from its stream, to be shrunk.
 */
function drawnOnce<Case>(cases: fc.Arbitrary<Case>, seed: number) {
  const values: Case[] = [];
  const streams = new Map<number, DrawAgain>(); // drawn ahead, not yet handed to the run
  const skipped = new fc.Value(undefined as Case, undefined);
  const like = (generate: fc.Arbitrary<Case>['generate']) =>
    new (class extends fc.Arbitrary<Case> {
      generate = generate;
      canShrinkWithoutContext = (value: unknown): value is Case => cases.canShrinkWithoutContext(value);
      shrink(value: Case, context: unknown): fc.Stream<fc.Value<Case>> {
        if (!(context instanceof DrawAgain)) return cases.shrink(value, context);
        const drawn = cases.generate(context.random.clone(), context.bias);
        return cases.shrink(drawn.value_, drawn.context);
      }
    })();
  /** Draws the cases up to `until` that are not drawn yet. */
  const drawAhead = (until: number): void => {
    const from = values.length;
    if (from >= until) return;
    let index = 0;
    const recording = like((random, bias) => {
      const at = index++;
      if (at < from) return skipped;
      streams.set(at, new DrawAgain(random.clone(), bias));
      return cases.generate(random, bias);
    });
    values.push(...fc.sample(recording, { seed, numRuns: until }).slice(from));
  };
  let next = 0;
  const arbitrary = like((random, bias) => {
    const at = next++;
    const again = streams.get(at);
    if (!again) return cases.generate(random, bias);
    streams.delete(at);
    return new fc.Value(values[at]!, again);
  });
  return { values, drawAhead, arbitrary };
}

/**
 * The property's cases drawn ahead, and for each of them in fast-check's order the module as case
 * n's check should see it (its calls already sent, and those of the cases after it up to the
 * window), or undefined past the first `numRuns`. Nothing is sent for a case fast-check will not
 * draw. `cases` is the arbitrary fast-check's run must draw from (drawnOnce).
 */
export function callsAhead<Case>(p: PropertySpec<Case>, student: { now: LabClient; ahead: LabClient }, seed: number, numRuns: number) {
  // A case skipped by fc.pre is replaced by one more, drawn by fast-check then, and checked one by one.
  const { values: cases, drawAhead, arbitrary } = drawnOnce(p.cases, seed);
  drawAhead(Math.min(numRuns, WINDOW)); // before fast-check draws its first case
  const plans: Planned[][] = [];

  /** Learns and sends the calls of cases [plans.length, until). */
  async function plan(until: number): Promise<void> {
    const from = plans.length;
    drawAhead(until);
    const learnt = cases.slice(from, until).map((input) => {
      const { lab, ctx, asked } = standIn();
      p.check(lab, input, ctx).catch(() => {}); // a check that fails on the stand-in has asked what it asks
      return asked;
    });
    await new Promise((resolve) => setImmediate(resolve)); // every check has reached its first await
    for (const asked of learnt) {
      plans.push(
        asked.map(({ method, args }) => {
          const answer = (student.ahead[method] as (...a: unknown[]) => Promise<unknown>)(...args);
          answer.catch(() => {}); // a case after a failing one is never asked for its answer
          return { method, args, answer };
        }),
      );
    }
  }

  /** The module for case n. */
  const labFor = async (n: number): Promise<LabClient | undefined> => {
    if (n >= numRuns) return undefined;
    if (plans.length - n < WINDOW / 2) await plan(Math.min(numRuns, n + WINDOW));
    const planned = plans[n]!;
    let next = 0;
    const serve = (method: Method) =>
      (...args: unknown[]): Promise<unknown> => {
        const expected = planned[next++];
        if (!expected || expected.method !== method || !isDeepStrictEqual(expected.args, args)) {
          return Promise.reject(new UpFrontBroken(
            `property '${p.id}' declares callsUpFront, but its check asked for a ${method} it had not asked for before awaiting an answer ` +
              `(call ${next} of the case; make every call before the first await, or drop callsUpFront)`,
          ));
        }
        const index = next - 1;
        return expected.answer.catch(async (error: unknown) => {
          if (!(error instanceof NotRun)) throw error;
          // Dropped because the process ended first. Where an earlier call of this case ended it
          // (a timeout, a crash), that failure is the case's: its other calls are not run again.
          const before = await Promise.allSettled(planned.slice(0, index).map((call) => call.answer));
          const ended = before.find((r) => r.status === 'rejected' && r.reason instanceof StudentError && ENDS_PROCESS.has(r.reason.kind));
          if (ended) throw (ended as PromiseRejectedResult).reason;
          return (student.now[method] as (...a: unknown[]) => Promise<unknown>)(...args);
        });
      };
    return { ...(Object.fromEntries(METHODS.map((method) => [method, serve(method)])) as unknown as LabClient), close: student.now.close };
  };
  return { cases: arbitrary, labFor };
}
