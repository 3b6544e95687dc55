import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { defineTask, example, property } from '../../src/spec/define.ts';
import { Mismatch, expectRowsClose, expectTensorClose } from '../../src/spec/expect.ts';
import { apportion, MAX_TIMED_OUT_SHRINKS, runTask, settleScores } from '../../src/spec/runner.ts';
import { formatScore } from '../../src/reports/results.ts';
import { StudentError, type LabClient, type Plain, type PlainTensor } from '../../src/sandbox/protocol.ts';
import { value } from '../../src/spec/signature.ts';
import type { PropertySpec, TaskSpec, Visibility } from '../../src/spec/types.ts';
import { failingLab, fakeLab, vectorOf } from './fakes.ts';

const values = (p: Plain) => Array.from((p as PlainTensor).data);
const column = (xs: number[]): PlainTensor => ({ shape: [xs.length, 1], data: Float64Array.from(xs) });
const prefixSums = (xs: number[]) => xs.map((_, i) => xs.slice(0, i + 1).reduce((a, b) => a + b, 0));

/** prefixSums(xs) returns the running sums as a [N, 1] column: a sequence, checked step by step. */
const prefixSumsProperty = (visibility: Visibility, id = `prefix-sums-${visibility}`): PropertySpec<number[]> =>
  property({
    id,
    title: 'prefixSums(xs) gives the running sums',
    visibility,
    runs: 50,
    cases: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 12 }),
    async check(lab, xs) {
      expectRowsClose(await lab.call('prefixSums', vectorOf(xs)), column(prefixSums(xs)), { what: 'prefixSums(xs)' });
    },
  });

/** A task with public and hidden properties alike (a lab keeps its hidden ones apart; the runner takes both). */
const task = (...properties: PropertySpec[]): TaskSpec => ({ id: 'forward_function', title: 'toy', points: 1, exports: [value('prefixSums', { type: 'unknown' })], rules: [], properties });

const correct = fakeLab({ prefixSums: (xs) => column(prefixSums(values(xs))) });
/** Right on the first two steps, wrong from the third on. */
const wrongFromStep3 = fakeLab({ prefixSums: (xs) => column(prefixSums(values(xs)).map((s, t) => (t >= 2 ? s + 1 : s))) });

const run = (spec: ReturnType<typeof task>, lab: LabClient, options = {}) => runTask(spec, lab, { seed: 42, reference: correct, ...options });

describe('runTask', () => {
  test('a correct student scores every property', async () => {
    const outcome = await run(task(prefixSumsProperty('public'), prefixSumsProperty('hidden')), correct);
    expect(outcome.passed).toBe(true);
    expect(outcome.score).toBe(1);
    expect(outcome.properties.map((p) => [p.passed, p.score, p.runs])).toEqual([
      [true, 0.5, 50],
      [true, 0.5, 50],
    ]);
  });

  test('a public failure shows the shrunk case and names the first differing step, both values side by side', async () => {
    const outcome = await run(task(prefixSumsProperty('public')), wrongFromStep3);
    const [p] = outcome.properties;
    expect(p!.passed).toBe(false);
    expect(outcome.score).toBe(0);
    expect(outcome.broken).toBeUndefined();
    expect(p!.staff!.counterexample).toEqual([1, 1, 1]); // shrunk: the smallest case with a third step
    expect(p!.message).toContain('[1, 1, 1]');
    expect(p!.message).toContain('prefixSums(xs): the first wrong step is t = 3 of 3 (steps 1..2 are right):');
    expect(p!.message).toMatch(/expected tensor\[1\] \[3\]\n\s+got\s+tensor\[1\] \[4\]/);
    expect(p!.divergence).toEqual({ step: 3, expected: { shape: [1], data: Float64Array.of(3) }, actual: { shape: [1], data: Float64Array.of(4) } });
  });

  test('a public counterexample small enough to copy is printed whole, past 256 values; a larger one is elided in the middle', async () => {
    const square = (n: number): PlainTensor => ({ shape: [n, n], data: Float64Array.from({ length: n * n }, (_, i) => i / 8) });
    const neverHolds = (n: number) =>
      property({
        id: `square-${n}`,
        title: 'never holds',
        visibility: 'public',
        runs: 1,
        cases: fc.constant(square(n)),
        async check() {
          throw new Mismatch('wrong');
        },
      });
    const middle = (n: number) => String(((n * n) / 2 + 1) / 8); // a value inside the middle row, which an elided tensor leaves out
    const [small, large] = (await run(task(neverHolds(20), neverHolds(40)), correct)).properties;
    expect(small!.message).not.toContain('...');
    expect(small!.message).toContain(`, ${middle(20)}, `);
    expect(large!.message).toContain('...');
    expect(large!.message).not.toContain(`, ${middle(40)}, `);
  });

  test('a hidden failure tells the student only which claim failed; staff get the case, seed, path and replay', async () => {
    const outcome = await run(task(prefixSumsProperty('hidden')), wrongFromStep3, {
      replay: (t: string, p: string, seed: number, path: string) => `replay ${t} ${p} ${seed} ${path}`,
    });
    const [p] = outcome.properties;
    expect(p!.message).toBe('Failed: prefixSums(xs) gives the running sums. Your code gave a wrong answer on a hidden case.');
    expect(p!.divergence).toBeUndefined();
    expect(p!.staff).toMatchObject({ seed: 42, counterexample: [1, 1, 1] });
    expect(p!.staff!.replay).toBe(`replay forward_function prefix-sums-hidden 42 ${p!.staff!.path}`);
    expect(p!.staff!.detail).toContain('the first wrong step is t = 3');
  });

  test('replaying the seed and path reproduces the same counterexample, unshrunk, in one run', async () => {
    const spec = task(prefixSumsProperty('public'));
    const first = (await run(spec, wrongFromStep3)).properties[0]!;
    const replayed = (await run(spec, wrongFromStep3, { only: { property: first.property, path: first.staff!.path } })).properties[0]!;
    expect(replayed.passed).toBe(false);
    expect(replayed.staff!.counterexample).toEqual(first.staff!.counterexample);
    expect(replayed.message).toBe(first.message);
  });

  test("a property's cases do not depend on the other properties of the task", async () => {
    const alone = (await run(task(prefixSumsProperty('public')), wrongFromStep3)).properties[0]!;
    const withOthers = (await run(task(prefixSumsProperty('hidden', 'another'), prefixSumsProperty('public')), wrongFromStep3)).properties[1]!;
    expect(withOthers.staff!.path).toBe(alone.staff!.path);
  });

  test('a student that throws fails the property with its own message (public) or a generic one (hidden)', async () => {
    const throwing = failingLab('prefixSums', 'threw', 'Error: index out of range');
    const outcome = await run(task(prefixSumsProperty('public'), prefixSumsProperty('hidden')), throwing);
    const [pub, hid] = outcome.properties;
    expect(outcome.broken).toBeUndefined();
    expect(pub!.message).toContain('Your code threw an error: Error: index out of range');
    expect(hid!.message).toBe('Failed: prefixSums(xs) gives the running sums. Your code threw an error on a hidden case.');
    expect(hid!.staff!.detail).toContain('index out of range');
  });

  test('a missing export breaks the task with a message that names it', async () => {
    const outcome = await run(task(prefixSumsProperty('public')), fakeLab({ somethingElse: () => 0 }));
    expect(outcome.broken).toEqual({ kind: 'missing-export', message: "lab.ts does not export 'prefixSums', which task forward_function grades." });
    expect(outcome.score).toBe(0);
    expect(outcome.properties[0]).toMatchObject({ passed: false, runs: 0, message: expect.stringContaining("does not export 'prefixSums'") });
  });

  test('a timeout breaks the task and the remaining properties are not run', async () => {
    const slow = failingLab('prefixSums', 'timeout', 'the call ran over 2000 ms');
    const outcome = await run(task(prefixSumsProperty('public'), prefixSumsProperty('hidden')), slow);
    expect(outcome.broken?.kind).toBe('timeout');
    expect(outcome.broken?.message).toContain('ran past the time limit (the call ran over 2000 ms)');
    expect(outcome.properties.map((p) => [p.runs, p.score])).toEqual([
      [1, 0],
      [0, 0],
    ]);
    expect(outcome.properties[1]!.message).toMatch(/^Not run: /);
  });

  test('a timed-out case is shrunk: the smallest case that loops is shown, found among timeouts only', async () => {
    // Loops (times out) from 4 entries on, and is right below that: the smallest looping case is four 1s.
    const loopsFrom4 = fakeLab({
      prefixSums: (xs) => {
        if (values(xs).length >= 4) throw new StudentError('timeout', 'the call ran over 2000 ms');
        return column(prefixSums(values(xs)));
      },
    });
    const ones = { ...prefixSumsProperty('public'), cases: fc.array(fc.constant(1), { minLength: 1, maxLength: 12 }) };
    const outcome = await run(task(ones), loopsFrom4);
    expect(outcome.broken?.kind).toBe('timeout');
    expect(outcome.properties[0]!.staff!.counterexample).toEqual([1, 1, 1, 1]);
    expect(outcome.properties[0]!.message).toBe(outcome.broken!.message);
  });

  test('shrinking a timeout stops after a few timed-out calls (each costs the whole limit), and says so', async () => {
    const slow = failingLab('prefixSums', 'timeout', 'the call ran over 2000 ms');
    const long = { ...prefixSumsProperty('public'), cases: fc.array(fc.integer({ min: 5, max: 9 }), { minLength: 12, maxLength: 12 }) };
    const outcome = await run(task(long), slow);
    expect(slow.calls.prefixSums).toBe(1 + MAX_TIMED_OUT_SHRINKS.public);
    expect(outcome.broken?.message).toContain(`Shrinking the case stopped after ${MAX_TIMED_OUT_SHRINKS.public} more calls that timed out`);
    expect(outcome.properties[0]!.staff!.detail).toContain(`(${MAX_TIMED_OUT_SHRINKS.public} shrinking calls timed out)`);
  });

  test('shrinking a wrong answer does not turn it into a timeout: a candidate that times out is not the failure shrunk', async () => {
    // Wrong on every input; loops where the sum is below 4, which shrinking toward [1, 1, 1] runs into.
    const wrongOrLoops = fakeLab({
      prefixSums: (xs) => {
        if (values(xs).reduce((a, b) => a + b, 0) < 4) throw new StudentError('timeout', 'the call ran over 2000 ms');
        return column(prefixSums(values(xs)).map((s) => s + 1));
      },
    });
    const three = { ...prefixSumsProperty('public'), cases: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 3, maxLength: 3 }) };
    const outcome = await run(task(three), wrongOrLoops);
    const [p] = outcome.properties;
    expect(outcome.broken).toBeUndefined();
    expect((p!.staff!.counterexample as number[]).reduce((a, b) => a + b, 0)).toBe(4);
    expect(p!.message).toContain('the first wrong step is t = 1');
    expect(p!.staff!.detail).toMatch(/\(\d+ shrinking calls? timed out\)/);
  });

  test('a property that held before its task broke scores 0, and its line does not say it passed', async () => {
    const loopsOnLong = fakeLab({
      prefixSums: (xs) => {
        if (values(xs).length >= 8) throw new StudentError('timeout', 'the call ran over 2000 ms');
        return column(prefixSums(values(xs)));
      },
    });
    const short = { ...prefixSumsProperty('public', 'short'), cases: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }) };
    const long = { ...prefixSumsProperty('public', 'long'), cases: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 8, maxLength: 12 }) };
    const outcome = await run(task(short, long), loopsOnLong);
    const [held, broke] = outcome.properties;
    expect(outcome.broken?.kind).toBe('timeout');
    expect(held).toMatchObject({ passed: false, score: 0 });
    expect(held!.message).not.toContain('Passed');
    expect(held!.message).toBe(`Scores 0 with its task: ${outcome.broken!.message} (This check held on its 50 cases before that.)`);
    expect(broke!.message).toBe(outcome.broken!.message);
  });

  test('a crash or a protocol error breaks the task as a crash', async () => {
    for (const kind of ['crashed', 'protocol'] as const) {
      const outcome = await run(task(prefixSumsProperty('public')), failingLab('prefixSums', kind, 'exit code 1'));
      expect(outcome.broken).toMatchObject({ kind: 'crash', message: expect.stringContaining('exit code 1') });
    }
  });

  test('an exception in a spec itself is a grader fault, never blamed on the student', async () => {
    const buggy = property({
      id: 'buggy',
      title: 'a spec with a bug',
      visibility: 'public',
      runs: 10,
      cases: fc.integer(),
      async check() {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    const outcome = await run(task(buggy, prefixSumsProperty('public')), correct);
    expect(outcome.broken?.kind).toBe('grader-fault');
    expect(outcome.broken?.message).toContain('not your fault');
    expect(outcome.properties[0]!.staff!.detail).toContain('TypeError: cannot read properties of undefined');
    expect(outcome.score).toBe(0);
  });

  test('a public property may not use the reference (students check without it)', async () => {
    const peeking = property({
      id: 'peeking',
      title: 'uses the reference',
      visibility: 'public',
      runs: 1,
      cases: fc.constant<number[]>([1]),
      async check(lab, xs, ctx) {
        expectRowsClose(await lab.call('prefixSums', vectorOf(xs)), await ctx.expected('prefixSums', vectorOf(xs)), { what: 'prefixSums' });
      },
    });
    const outcome = await run(task(peeking), correct);
    expect(outcome.broken?.kind).toBe('grader-fault');
    expect(outcome.properties[0]!.staff!.detail).toContain("public property 'peeking' uses the reference solution");
  });

  test('a case where the reference and the oracle disagree is reported to staff and skipped, not failed', async () => {
    const differential = property({
      id: 'differential',
      title: 'matches the reference',
      visibility: 'hidden',
      runs: 20,
      cases: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
      async check(lab, xs, ctx) {
        expectRowsClose(await lab.call('prefixSums', vectorOf(xs)), await ctx.expected('prefixSums', vectorOf(xs)), { what: 'prefixSums' });
      },
    });
    let asked = 0;
    const outcome = await run(task(differential), wrongFromStep3, {
      // The oracle disagrees on the first case it sees; only the first 3 cases are cross-checked.
      oracle: async ({ args }: { args: Plain[] }) => (asked++ === 0 ? `oracle says no to ${values(args[0]!)}` : null),
    });
    expect(asked).toBe(3);
    expect(outcome.graderBugs).toHaveLength(1);
    expect(outcome.graderBugs[0]).toMatch(/^differential: reference and oracle disagree on prefixSums: oracle says no to/);
    expect(outcome.properties[0]!.passed).toBe(false); // the student is still wrong on other cases
  });

  test('visibility "public" runs only the public properties, and hidden ones need a reference', async () => {
    const spec = task(prefixSumsProperty('public'), prefixSumsProperty('hidden'));
    const outcome = await runTask(spec, correct, { seed: 1, visibility: 'public' });
    expect(outcome.properties.map((p) => p.property)).toEqual(['prefix-sums-public']);
    await expect(runTask(spec, correct, { seed: 1 })).rejects.toThrow("task 'forward_function' has hidden properties to run, which need options.reference");
  });

  test('runs override generated properties but a fixed example runs once', async () => {
    const notebook = example('notebook-example', 'the example', async (lab) => {
      expectRowsClose(await lab.call('prefixSums', vectorOf([1, 2])), column([1, 3]), { what: 'prefixSums([1, 2])' });
    });
    const outcome = await run(task(notebook, prefixSumsProperty('public')), correct, { runs: 7 });
    expect(outcome.properties.map((p) => p.runs)).toEqual([1, 7]);
  });

  test('weights share the points, and replaying an unknown property is a clear error', async () => {
    const heavy = { ...prefixSumsProperty('public'), weight: 3 };
    const outcome = await run(task(heavy, prefixSumsProperty('hidden')), correct);
    expect(outcome.properties.map((p) => p.maxScore)).toEqual([0.75, 0.25]);
    await expect(run(task(heavy), correct, { only: { property: 'nope' } })).rejects.toThrow("task 'forward_function' has no property 'nope' to run (it has: prefix-sums-public)");
  });
});

describe('scalar results', () => {
  const sumTask = defineTask({
    id: 'bigram',
    title: 'toy',
    points: 1,
    exports: [value('sum', { type: 'unknown' })],
    rules: [],
    properties: [
      example('sum', 'sum([1, 2]) is 3', async (lab) => {
        expectTensorClose(await lab.call('sum', vectorOf([1, 2])), 3, { what: 'sum([1, 2])' });
      }),
    ],
  });

  test.each([
    ['a plain number', 3],
    ['shape []', { shape: [], data: Float64Array.of(3) }],
    ['shape [1]', { shape: [1], data: Float64Array.of(3) }],
  ])('%s is accepted', async (_name, answer) => {
    expect((await run(sumTask, fakeLab({ sum: () => answer }))).passed).toBe(true);
  });

  test('another shape is rejected with both shapes in the message', async () => {
    const outcome = await run(sumTask, fakeLab({ sum: () => vectorOf([3, 0]) }));
    expect(outcome.properties[0]!.message).toContain('sum([1, 2]) should have shape [] or [1] (or a plain number), but it has shape [2].');
  });

  test('a non-scalar answer must have the exact shape', async () => {
    const outcome = await run(task(prefixSumsProperty('public')), fakeLab({ prefixSums: (xs) => vectorOf(prefixSums(values(xs))) }));
    expect(outcome.properties[0]!.message).toContain('prefixSums(xs) should have shape [1, 1], but it has shape [1].');
  });
});

test('StudentError from the exports listing breaks the task as a crash', async () => {
  const dead: LabClient = { ...fakeLab({}), exports: async () => Promise.reject(new StudentError('crashed', 'the process exited with code 137')) };
  const outcome = await run(task(prefixSumsProperty('public')), dead);
  expect(outcome.broken).toMatchObject({ kind: 'crash', message: expect.stringContaining('code 137') });
});

describe('apportion', () => {
  test('splits points into millionths that add up exactly', () => {
    expect(apportion(1, [1, 1, 1, 1, 1, 1])).toEqual([0.166667, 0.166667, 0.166667, 0.166667, 0.166666, 0.166666]);
    expect(apportion(1, [1, 1, 1]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(apportion(2, [1, 3])).toEqual([0.5, 1.5]);
    expect(apportion(0, [1, 2])).toEqual([0, 0]);
  });
});

describe('settleScores', () => {
  const micro = (x: number) => Math.round(x * 1e6);
  test('equal failures score the same: failing any one of three equal properties of 8 points', () => {
    const totals = [0, 1, 2].map((failed) => settleScores(8, [1, 1, 1], [0, 1, 2].map((i) => i !== failed)).total);
    expect(new Set(totals).size).toBe(1);
    expect(formatScore(totals[0]!)).toBe('5.33');
  });

  test('entries add up to the task score in whole millionths, which only the passed weight decides; all passing earns the points', () => {
    const setting = fc
      .record({ points: fc.integer({ min: 0, max: 100_000_000 }).map((u) => u / 1e6), weights: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 8 }) })
      .chain((s) => fc.record({ passed: fc.array(fc.boolean(), { minLength: s.weights.length, maxLength: s.weights.length }), order: fc.shuffledSubarray(s.weights.map((_, i) => i), { minLength: s.weights.length }) }).map((r) => ({ ...s, ...r })));
    fc.assert(
      fc.property(setting, ({ points, weights, passed, order }) => {
        const { scores, total } = settleScores(points, weights, passed);
        expect(scores.reduce((sum, x) => sum + micro(x), 0)).toBe(micro(total));
        scores.forEach((x) => expect(x).toBe(micro(x) / 1e6));
        const shares = apportion(points, weights);
        scores.forEach((x, i) => (passed[i] ? expect(Math.abs(micro(x) - micro(shares[i]!))).toBeLessThanOrEqual(weights.length) : expect(x).toBe(0)));
        // The same properties in another order, passing the same: the same total.
        expect(settleScores(points, order.map((i) => weights[i]!), order.map((i) => passed[i]!)).total).toBe(total);
        expect(settleScores(points, weights, weights.map(() => true)).total).toBe(points);
      }),
    );
  });
});

test('formatScore prints at most two decimals', () => {
  expect([16, 5.333333, 10.666667, 0.5, 0].map(formatScore)).toEqual(['16', '5.33', '10.67', '0.5', '0']);
});
