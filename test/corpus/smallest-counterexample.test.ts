/**
 * Counterexamples at the smallest size (issue 14). For every planted bug of every bundled lab's
 * corpus that a public property fails at the smallest size its generator draws, the counterexample
 * that property reports (what `check` shows, at a few seeds) must be at that smallest size.
 *
 * Nothing here is written down per bug: the smallest size comes from the generators. Cases drawn at
 * random are cut down as far as their generator's own shrink candidates make them smaller; the
 * smallest of each dimension over those cut-down cases is the generator's smallest size, and a bug
 * fails at it when it fails one of the cut-down cases that are that small, run on its own (on a
 * fresh copy of the module: a cache filled by earlier calls is history, not the case).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Lab } from '../../src/lab/load.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import { isPlainTensor, type LabClient, type Plain } from '../../src/sandbox/protocol.ts';
import { runTask } from '../../src/spec/runner.ts';
import type { CheckContext, PropertySpec } from '../../src/spec/types.ts';
import { drawValues } from '../helpers/values.ts';
import { failingTasks, labsWithCorpus, loadCorpus, openReference, publicOnly, type Submission } from './corpus.ts';

/** The seeds each bug is checked at, as a student's `check` would be run. */
const SEEDS = [1, 2, 3];
/** Random cases cut down per property. */
const CUT_CASES = 40;

/** The dimensions of a case, by where they are in it: each tensor's shape, each array of numbers' length; a case that is one integer (a length) is that size. */
export function dimensionsOf(value: Plain, path = ''): Map<string, number[]> {
  const found = new Map<string, number[]>();
  const visit = (v: Plain, at: string): void => {
    if (v === null || typeof v !== 'object') return;
    if (isPlainTensor(v)) found.set(at, v.shape);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) found.set(at, [v.length]);
    else for (const [key, part] of Object.entries(v)) visit(part, `${at}.${key}`);
  };
  if (typeof value === 'number') found.set(path, [value]);
  else visit(value, path);
  return found;
}

const totalSize = (value: Plain) => [...dimensionsOf(value).values()].flat().reduce((a, b) => a + b, 0);

/** The smallest of each dimension over `cases`, where it is. */
function smallestDimensions(cases: Plain[]): Map<string, number[]> {
  const smallest = new Map<string, number[]>();
  for (const c of cases) for (const [at, dims] of dimensionsOf(c)) smallest.set(at, dims.map((d, i) => Math.min(d, smallest.get(at)?.[i] ?? d)));
  return smallest;
}

/** Whether every dimension of `value` is the smallest there is at its place (a place no smallest case has, say an optional mask, is sized by the others). */
const atSmallest = (value: Plain, smallest: Map<string, number[]>) =>
  [...dimensionsOf(value)].every(([at, dims]) => !smallest.has(at) || dims.every((d, i) => d === smallest.get(at)![i]));

const describeDimensions = (value: Plain) => [...dimensionsOf(value)].map(([at, dims]) => `${at || 'n'} [${dims.join(', ')}]`).join(' ');

const shown = (p: PropertySpec, input: unknown): Plain => (p.show ? p.show(input) : input) as Plain;

/** `value` cut down by its generator's own shrink candidates, taking one that makes the case smaller for as long as there is one. */
function cutDown<T>(p: PropertySpec<T>, value: fc.Value<T>): T {
  const size = (v: fc.Value<T>) => totalSize(shown(p, v.value));
  for (let current = value; ; ) {
    const [smaller] = [...p.cases.shrink(current.value_, current.context).take(20_000).filter((v) => size(v) < size(current)).take(1)];
    if (!smaller) return current.value;
    current = smaller;
  }
}

/** Public properties run without the reference: a check that asks for it is a bug of this test. */
const noReference: CheckContext = {
  reference: undefined as unknown as LabClient,
  graderBug: () => {},
  expected: async () => {
    throw new Error('public properties do not use the reference');
  },
};

/** Whether `p` fails the submission on `input`. */
async function fails(p: PropertySpec, student: LabClient, input: unknown): Promise<boolean> {
  try {
    await p.check(student, input, noReference);
    return false;
  } catch (error) {
    return !fc.PreconditionFailure.isFailure(error);
  }
}

const labs = await labsWithCorpus();

describe.each(labs)('lab $id', (lab: Lab) => {
  const bugs = loadCorpus(lab).filter((s) => s.expected.bug !== null);
  let reference: LabClient;
  beforeAll(async () => {
    reference = await openReference(lab);
  });
  afterAll(() => reference?.close());

  // Per property, drawn once for every bug: the cut-down cases and the smallest dimensions among them.
  const cut = new Map<PropertySpec, { cases: unknown[]; smallest: Map<string, number[]> }>();
  const cutDownOf = (p: PropertySpec) => {
    if (!cut.has(p)) {
      const cases = drawValues(p.cases, CUT_CASES, 20261125).map((v) => cutDown(p, v));
      cut.set(p, { cases, smallest: smallestDimensions(cases.map((c) => shown(p, c))) });
    }
    return cut.get(p)!;
  };

  /** Whether the bug fails some case of the smallest size: found on one copy of the module, confirmed on a fresh one. */
  async function failsAtSmallest(submission: Submission, p: PropertySpec): Promise<boolean> {
    const { cases, smallest } = cutDownOf(p);
    const open = () => openInProcess(submission.lab, { driver: lab.paths.driver });
    const probe = await open();
    try {
      for (const input of cases.filter((c) => atSmallest(shown(p, c), smallest))) {
        if (!(await fails(p, probe, input))) continue;
        const fresh = await open();
        const alone = await fails(p, fresh, input).finally(() => fresh.close());
        if (alone) return true;
      }
      return false;
    } finally {
      await probe.close();
    }
  }

  let compared = 0;
  test.each(bugs.map((s) => [s.name, s] as const))('%s: a counterexample at the smallest size wherever the bug fails there', async (_, submission) => {
    const tooLarge: string[] = [];
    const known = new Map<PropertySpec, boolean>();
    for (const task of failingTasks(lab, submission.expected)) {
      const spec = publicOnly(lab.task(task));
      for (const seed of SEEDS) {
        const student = await openInProcess(submission.lab, { driver: lab.paths.driver });
        const outcome = await runTask(spec, student, { seed, reference, oracle: async () => null, drivers: lab.drivers });
        await student.close();
        for (const failed of outcome.properties.filter((o) => !o.passed && o.staff?.counterexample !== undefined)) {
          const p = spec.properties.find((q) => q.id === failed.property)!;
          if (p.fixed) continue;
          if (!known.has(p)) known.set(p, await failsAtSmallest(submission, p));
          if (!known.get(p)) continue;
          compared++;
          const { smallest } = cutDownOf(p);
          if (!atSmallest(failed.staff!.counterexample!, smallest)) {
            tooLarge.push(`${task} › ${p.id} at seed ${seed}: ${describeDimensions(failed.staff!.counterexample!)}, but it fails at ${[...smallest].map(([at, d]) => `${at || 'n'} [${d.join(', ')}]`).join(' ')}`);
          }
        }
      }
    }
    expect(tooLarge).toEqual([]);
  });

  // Not vacuous: most planted bugs fail at the smallest size, so many counterexamples were compared.
  test('many counterexamples were compared', () => {
    expect(compared).toBeGreaterThan(bugs.length);
  });
});
