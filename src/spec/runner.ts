/**
 * Runs a task's spec against a lab module: each property becomes a fast-check asyncProperty run at
 * its own seed; a failure keeps the shrunk counterexample, its seed and path (replayable exactly),
 * and is explained to the student (public) or to staff only (hidden). Who is at fault decides the
 * outcome: a wrong value or a thrown error fails the property; a missing export, a timeout or a
 * crash breaks the task; a fault of the grader itself is never blamed on the student.
 */
import fc from 'fast-check';
import { LIMITS } from '../model/admit.ts';
import type { PropertyOutcome, TaskBreak, TaskOutcome } from '../model/report.ts';
import { StudentError, type LabClient, type Plain } from '../sandbox/protocol.ts';
import { callsAhead } from './ahead.ts';
import { Mismatch } from './expect.ts';
import { traceOracle, type Oracle } from './oracle.ts';
import { renderCase, renderPlain } from './render.ts';
import { deriveSeed } from './seed.ts';
import type { CheckContext, PropertySpec, TaskSpec } from './types.ts';

export type ProgressEvent =
  | { kind: 'property-start'; task: string; property: string }
  | { kind: 'property-end'; task: string; outcome: PropertyOutcome };

export interface RunOptions {
  /** The grading seed; each property derives its own from it (src/spec/seed.ts). */
  seed: number;
  /** The reference solution; needed by hidden properties only (students' `check` runs without it). */
  reference?: LabClient;
  /** 'public': only the public properties (the student's local `check`). Default 'all'. */
  visibility?: 'all' | 'public';
  /** Overrides every generated property's number of runs (fixed examples still run once). */
  runs?: number;
  /** Replay: run one property only, and with `path` only the case at that path, unshrunk. */
  only?: { property: string; path?: string };
  /** The command that replays a failure, as the pipeline spells it. */
  replay?: (taskId: string, propertyId: string, seed: number, path: string) => string;
  onProgress?: (event: ProgressEvent) => void;
  /** Checks the reference's answers (default: its recorded computation replayed in TensorFlow.js). */
  oracle?: Oracle;
  /** The lab's driver names: a spec asking for another is a fault of the lab, never the student's. */
  drivers?: string[];
  /**
   * Shrinks each failure to a small counterexample (default true). Harden turns it off: it needs
   * which properties fail and after how many cases, not the counterexample, and shrinking a
   * mutant's failures took most of its time (up to 250 further checks a public property).
   */
  shrink?: boolean;
}

/** How many cases of each property also check the reference against the oracle (it is costly). */
const CROSS_CHECKED_CASES = 3;

/**
 * Shrinking stops after this many further checks, so that a wrong submission grades about as fast
 * as a right one (a count, not a time: the same seed must give the same report). A public
 * counterexample is what the student reads, so it is shrunk further than a hidden one (staff only).
 */
const MAX_SHRINK_CHECKS: Record<'public' | 'hidden', number> = { public: 250, hidden: 20 };

/**
 * Shrinking stops after this many calls that timed out: each waits out the whole call limit (and
 * the sandbox starts a fresh process after it), so a submission that loops from some size on is
 * shrunk toward the smallest size that loops at a bounded cost.
 */
export const MAX_TIMED_OUT_SHRINKS: Record<'public' | 'hidden', number> = { public: 4, hidden: 2 };

/** An error of the grader itself (a spec, the reference, the oracle): never the student's fault. */
class GraderFault extends Error {
  override name = 'GraderFault';
}

/** StudentError kinds after which the student's process is gone or useless for this task. */
const BREAKS: Partial<Record<StudentError['kind'], TaskBreak['kind']>> = {
  'missing-export': 'missing-export',
  timeout: 'timeout',
  crashed: 'crash',
  protocol: 'crash',
};

/** How a failed call that did not break the task reads: only `threw` says anything was thrown. */
const STUDENT_FAILURE: Record<StudentError['kind'], string> = {
  threw: 'Your code threw an error',
  'bad-value': 'Your code returned a value the grader cannot read',
  'missing-export': 'An export is missing',
  timeout: 'Your code ran past the time limit',
  crashed: "Your code's process stopped",
  protocol: "Your code's process broke the grader's protocol",
};

/** The student's own frames of what their code threw, one a line under its message. */
const framesText = (error: StudentError) => error.frames.map((frame) => `\n    ${frame}`).join('');

/** The grader's stack of a failure, the student's own frames (if any) right under its message. */
function staffStack(error: Error): string {
  const stack = error.stack ?? errorText(error);
  if (!(error instanceof StudentError) || error.frames.length === 0) return stack;
  const head = `${error.name}: ${error.message}`;
  return stack.startsWith(head) ? `${head}${framesText(error)}${stack.slice(head.length)}` : `${stack}${framesText(error)}`;
}

const isFatal = (error: unknown) =>
  error instanceof StudentError ? BREAKS[error.kind] !== undefined : !(error instanceof Mismatch) && !fc.PreconditionFailure.isFailure(error);

/** A call over its limit: the task breaks, but the next call gets a fresh process, so the case can still be shrunk. */
const isTimeout = (error: unknown) => error instanceof StudentError && error.kind === 'timeout';

export async function runTask(spec: TaskSpec, student: LabClient, options: RunOptions): Promise<TaskOutcome> {
  const visible = spec.properties.filter((p) => options.visibility !== 'public' || p.visibility === 'public');
  const selected = visible.filter((p) => !options.only || p.id === options.only.property);
  if (options.only && selected.length === 0) {
    throw new Error(`task '${spec.id}' has no property '${options.only.property}' to run (it has: ${visible.map((p) => p.id).join(', ')})`);
  }
  if (!options.reference && selected.some((p) => p.visibility === 'hidden')) {
    throw new Error(`runTask: task '${spec.id}' has hidden properties to run, which need options.reference`);
  }
  const shares = apportion(spec.points, spec.properties.map((p) => p.weight ?? 1));
  const share = (p: PropertySpec) => shares[spec.properties.indexOf(p)]!;
  const outcome: TaskOutcome = {
    task: spec.id,
    title: spec.title,
    exports: spec.exports.map((e) => e.name),
    maxScore: spec.points,
    score: 0,
    passed: false,
    findings: [],
    properties: [],
    graderBugs: [],
  };

  outcome.broken = await missingExports(spec, student);
  for (const p of selected) {
    if (outcome.broken) {
      outcome.properties.push(notRun(spec, p, share(p), options.seed, outcome.broken));
      continue;
    }
    options.onProgress?.({ kind: 'property-start', task: spec.id, property: p.id });
    const result = await runProperty(spec, p, share(p), student, options, (bug) => {
      if (!outcome.graderBugs.includes(bug)) outcome.graderBugs.push(bug);
    });
    outcome.properties.push(result.outcome);
    outcome.broken = result.broken;
    options.onProgress?.({ kind: 'property-end', task: spec.id, outcome: result.outcome });
  }

  if (outcome.broken) {
    for (const p of outcome.properties) Object.assign(p, { passed: false, score: 0 }, p.passed ? { message: heldBeforeBreak(p, outcome.broken) } : {});
  }
  const ran = (p: PropertySpec) => outcome.properties.find((o) => o.property === p.id);
  const { scores, total } = settleScores(spec.points, spec.properties.map((p) => p.weight ?? 1), spec.properties.map((p) => ran(p)?.passed === true));
  spec.properties.forEach((p, i) => Object.assign(ran(p) ?? {}, { score: scores[i]! }));
  outcome.score = total;
  outcome.passed = !outcome.broken && outcome.properties.every((p) => p.passed);
  return outcome;
}

/** A property that held, in a task that broke after it: it scores 0 with the task, and its line must not say it passed. */
const heldBeforeBreak = (p: PropertyOutcome, broken: TaskBreak) =>
  `Scores 0 with its task: ${broken.message} (This check held on its ${p.runs === 1 ? 'case' : `${p.runs} cases`} before that.)`;

/**
 * Splits `points` by `weights` in millionths (largest remainder first), so the shares are what the
 * reports print (6 decimals) and add up to exactly `points`: never 1.000002 out of 1.
 */
export function apportion(points: number, weights: number[]): number[] {
  return apportionUnits(Math.round(points * 1e6), weights).map((share) => share / 1e6);
}

function apportionUnits(units: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (units * w) / total);
  const shares = exact.map(Math.floor);
  let left = units - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - shares[i]!, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) if (left-- > 0) shares[i]! += 1;
  return shares;
}

/**
 * Each property's score, and the task's, given which properties passed. Scoring decision: the task
 * scores `points` x passed weight / total weight, rounded to a millionth, so its score depends only
 * on the weight that passed and equal failures score the same (the shares alone would give 5.333333
 * or 5.333334 of 8, by which of three properties failed). A passing property scores its share, except
 * that the last passing one takes the millionth left over, so the entries still add up to the task's
 * score exactly (CONTRACT section 5); a failing one scores 0. All of it in whole millionths, so no
 * sum carries float noise.
 */
export function settleScores(points: number, weights: number[], passed: boolean[]): { scores: number[]; total: number } {
  const units = Math.round(points * 1e6);
  const shares = apportionUnits(units, weights);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const passedWeight = weights.reduce((sum, w, i) => sum + (passed[i] ? w : 0), 0);
  const total = totalWeight > 0 ? Math.round((units * passedWeight) / totalWeight) : 0;
  const scores = shares.map((share, i) => (passed[i] ? share : 0));
  const last = passed.lastIndexOf(true);
  if (last >= 0) scores[last]! += total - scores.reduce((a, b) => a + b, 0);
  return { scores: scores.map((x) => x / 1e6), total: total / 1e6 };
}

/**
 * `arb`, whose shrinking ends as soon as `done()` holds. fast-check pulls shrink candidates lazily,
 * so cutting the stream ends shrinking at once instead of walking every remaining candidate (tens
 * of thousands for a 32 x 32 matrix) with checks that no longer run.
 */
function shrinkingUntil<T>(arb: fc.Arbitrary<T>, done: () => boolean): fc.Arbitrary<T> {
  return new (class extends fc.Arbitrary<T> {
    generate(random: fc.Random, biasFactor: number | undefined) {
      return arb.generate(random, biasFactor);
    }
    canShrinkWithoutContext(value: unknown): value is T {
      return arb.canShrinkWithoutContext(value);
    }
    shrink(value: T, context: unknown) {
      return arb.shrink(value, context).takeWhile(() => !done());
    }
  })();
}

/** Public properties run on students' machines, where the reference is not shipped. */
function unavailableReference(propertyId: string): LabClient {
  const refuse = async (): Promise<never> => {
    throw new GraderFault(`public property '${propertyId}' uses the reference solution, which students' checks do not have`);
  };
  return { call: refuse, drive: refuse, traced: refuse, graph: refuse, exports: refuse, close: async () => {} };
}

/** `client`, with every driver request checked against the lab's drivers first. */
function checkingDrivers(client: LabClient, drivers: string[] | undefined): LabClient {
  if (drivers === undefined) return client;
  const known = (driver: string | undefined) => {
    if (driver !== undefined && !drivers.includes(driver)) throw new GraderFault(`the lab has no driver '${driver}' (its drivers: ${drivers.join(', ') || 'none'})`);
  };
  return {
    ...client,
    drive: async (driver, exportName, ...args) => (known(driver), client.drive(driver, exportName, ...args)),
    traced: async (exportName, args, driver) => (known(driver), client.traced(exportName, args, driver)),
  };
}

const defaultOracle = traceOracle();

async function missingExports(spec: TaskSpec, student: LabClient): Promise<TaskBreak | undefined> {
  let exported: Record<string, string>;
  try {
    exported = await student.exports();
  } catch (error) {
    return error instanceof StudentError ? studentBreak(spec, error) : graderBreak(spec, error);
  }
  const missing = spec.exports.map((e) => e.name).filter((name) => !(name in exported));
  if (missing.length === 0) return undefined;
  const names = missing.map((n) => `'${n}'`).join(' and ');
  return { kind: 'missing-export', message: `lab.ts does not export ${names}, which task ${spec.id} grades.` };
}

/** `stoppedAfter`: shrinking a timeout stopped after that many timed-out calls, so a smaller case may time out too. */
function studentBreak(spec: TaskSpec, error: StudentError, stoppedAfter?: number): TaskBreak {
  const kind = BREAKS[error.kind] ?? 'crash';
  const rest = `The remaining checks of task ${spec.id} were not run.`;
  switch (kind) {
    case 'missing-export':
      return { kind, message: `${error.message} (task ${spec.id} needs it).` };
    case 'timeout': {
      const shrunk =
        stoppedAfter === undefined
          ? ''
          : ` Shrinking the case stopped after ${stoppedAfter} more calls that timed out (each one waits out the whole limit): a smaller case may run over it too.`;
      return { kind, message: `Your code ran past the time limit (${error.message}).${shrunk} ${rest}` };
    }
    default:
      return { kind: 'crash', message: `Your code's process stopped (${error.message}). ${rest}` };
  }
}

function graderBreak(spec: TaskSpec, error: unknown): TaskBreak {
  return {
    kind: 'grader-fault',
    message: `The grader itself failed on task ${spec.id}; this is not your fault and staff have the details (${errorText(error)}).`,
  };
}

const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

function notRun(spec: TaskSpec, p: PropertySpec, maxScore: number, seed: number, broken: TaskBreak): PropertyOutcome {
  return {
    task: spec.id,
    property: p.id,
    title: p.title,
    visibility: p.visibility,
    passed: false,
    maxScore,
    score: 0,
    runs: 0,
    message: `Not run: ${broken.message}`,
    staff: { seed },
    durationMs: 0,
  };
}

async function runProperty(
  spec: TaskSpec,
  p: PropertySpec,
  maxScore: number,
  student: LabClient,
  options: RunOptions,
  graderBug: (message: string) => void,
): Promise<{ outcome: PropertyOutcome; broken?: TaskBreak }> {
  const started = performance.now();
  const seed = deriveSeed(options.seed, spec.id, p.id);
  const path = options.only?.path;
  const oracle = options.oracle ?? defaultOracle;
  let crossChecks = 0;
  const reference = checkingDrivers(p.visibility === 'public' ? unavailableReference(p.id) : options.reference!, options.drivers);
  const numRuns = p.fixed ? 1 : (options.runs ?? p.runs);
  const ahead =
    p.callsUpFront && !p.fixed && path === undefined && student.ahead
      ? callsAhead(p, { now: checkingDrivers(student, options.drivers), ahead: checkingDrivers(student.ahead, options.drivers) }, seed, numRuns)
      : undefined;
  student = checkingDrivers(student, options.drivers);
  const ctx: CheckContext = {
    reference,
    graderBug: (message) => graderBug(`${p.id}: ${message}`),
    async expected(exportName, ...args) {
      const crossCheck = crossChecks < CROSS_CHECKED_CASES;
      let answer: { value: Plain; trace?: Plain };
      try {
        answer = crossCheck ? await reference.traced(exportName, args) : { value: await reference.call(exportName, ...args) };
      } catch (error) {
        throw error instanceof GraderFault ? error : new GraderFault(`the reference's ${exportName} failed: ${errorText(error)}`);
      }
      const { value } = answer;
      if (crossCheck) {
        crossChecks++;
        let disagreement: string | null;
        try {
          disagreement = await oracle({ exportName, args, value, trace: answer.trace! });
        } catch (error) {
          // The oracle itself failed: staff hear of it, and the reference's answer stands.
          ctx.graderBug(`the oracle failed on ${exportName}: ${errorText(error)}`);
          return value;
        }
        if (disagreement !== null) {
          ctx.graderBug(`reference and oracle disagree on ${exportName}: ${disagreement}`);
          fc.pre(false); // skip the case: it cannot count against the student
        }
      }
      return value;
    },
  };

  // After a fatal error nothing more is called: the student's process is gone, or the grader is wrong.
  // A timeout is the exception: the next call gets a fresh process, so it is shrunk, a few timed-out calls at most.
  let fatal = false;
  let failures = 0;
  let shrinkChecks = 0;
  let timedOutShrinks = 0;
  let shrinkingTimeout = false;
  // Cases fast-check generated so far (before any failure: shrinking makes candidates), skipped ones included.
  let drawn = 0;
  const done = () => fatal || shrinkChecks >= MAX_SHRINK_CHECKS[p.visibility] || timedOutShrinks >= MAX_TIMED_OUT_SHRINKS[p.visibility];
  const predicate = async (input: unknown) => {
    const shrinking = failures > 0;
    if (shrinking) {
      if (done()) return; // shrinking is over: whatever candidate is left passes
      shrinkChecks++;
    }
    try {
      const lab = (!shrinking && (await ahead?.labFor(drawn++))) || student;
      await p.check(lab, input, ctx);
    } catch (error) {
      if (fc.PreconditionFailure.isFailure(error)) throw error;
      const timeout = isTimeout(error);
      const ending = isFatal(error) && !timeout; // a crash, a broken protocol, a fault of the grader: reported as it is
      if (shrinking && timeout) timedOutShrinks++;
      // Shrinking keeps to the failure found: a timeout shrinks to a smaller case that times out, a wrong answer to a smaller wrong answer.
      if (shrinking && !ending && timeout !== shrinkingTimeout) return;
      shrinkingTimeout = timeout;
      failures++;
      fatal ||= ending;
      throw error;
    }
  };
  const details = await fc.check(fc.asyncProperty(shrinkingUntil(ahead?.cases ?? p.cases, done), predicate), {
    seed,
    numRuns,
    ...(path !== undefined ? { path } : {}),
    endOnFailure: path !== undefined || options.shrink === false,
  });

  const base = {
    task: spec.id,
    property: p.id,
    title: p.title,
    visibility: p.visibility,
    maxScore,
    runs: details.numRuns,
    durationMs: Math.round(performance.now() - started),
  };
  if (!details.failed) {
    const cases = p.fixed ? '' : ` (${details.numRuns} cases)`;
    return { outcome: { ...base, passed: true, score: maxScore, message: `Passed: ${p.title}${cases}.`, staff: { seed: options.seed } } };
  }

  if (details.counterexample === null) {
    // Every case was skipped: the reference disagreed with the oracle throughout.
    const error = new GraderFault(`no case could be checked (${details.numSkips} skipped as grader bugs)`);
    const broken = graderBreak(spec, error);
    return { outcome: { ...base, passed: false, score: 0, message: broken.message, staff: { seed: options.seed, detail: errorText(error) } }, broken };
  }

  const input = details.counterexample[0];
  const shown = (p.show ? p.show(input) : input) as Plain;
  const failurePath = details.counterexamplePath ?? '';
  const error = details.errorInstance;
  const staff = {
    seed: options.seed,
    path: failurePath,
    counterexample: shown,
    replay: options.replay?.(spec.id, p.id, options.seed, failurePath),
    detail:
      `fast-check seed ${seed}, path ${failurePath}, after ${details.numRuns} cases and ${details.numShrinks} shrinks` +
      `${timedOutShrinks > 0 ? ` (${timedOutShrinks} shrinking call${timedOutShrinks === 1 ? '' : 's'} timed out)` : ''}\n` +
      (error instanceof Error ? staffStack(error) : String(error)),
  };
  const failed = { ...base, passed: false, score: 0, staff };

  if (error instanceof StudentError && BREAKS[error.kind]) {
    const capped = isTimeout(error) && timedOutShrinks >= MAX_TIMED_OUT_SHRINKS[p.visibility];
    const broken = studentBreak(spec, error, capped ? timedOutShrinks : undefined);
    return { outcome: { ...failed, message: broken.message }, broken };
  }
  if (!(error instanceof StudentError) && !(error instanceof Mismatch)) {
    const broken = graderBreak(spec, error);
    return { outcome: { ...failed, message: broken.message }, broken };
  }

  const what = error instanceof Mismatch ? error.message : `${STUDENT_FAILURE[error.kind]}: ${error.message}${framesText(error)}`;
  if (p.visibility === 'hidden') {
    const kind = error instanceof Mismatch ? 'gave a wrong answer' : error.kind === 'threw' ? 'threw an error' : 'gave back a value the grader cannot read';
    return { outcome: { ...failed, message: `Failed: ${p.title}. Your code ${kind} on a hidden case.` } };
  }
  const replay = staff.replay ? `\nReplay it with: ${staff.replay}` : '';
  const message = failureMessage(p, shown, what, replay);
  const divergence =
    error instanceof Mismatch && error.step !== undefined && error.expected !== undefined && error.actual !== undefined
      ? { divergence: { step: error.step, expected: error.expected, actual: error.actual } }
      : {};
  return { outcome: { ...failed, message, ...divergence } };
}

/**
 * A public failure as the student reads it: the case shown whole when it is small enough to copy
 * (render.ts), elided when it is not or when the whole of it would push the message past what a
 * report keeps of one (whose end, the replay command, would be cut).
 */
function failureMessage(p: PropertySpec, shown: Plain, what: string, replay: string): string {
  const message = (rendered: string) => {
    const where = p.fixed ? '' : `The smallest failing case found:\n  ${rendered.replace(/\n/g, '\n  ')}\n`;
    return `Failed: ${p.title}.\n${where}${what}${replay}`;
  };
  const whole = message(renderCase(shown));
  return whole.length <= LIMITS.text ? whole : message(renderPlain(shown));
}
