// Calls sent ahead (callsUpFront): the module sees what checking case by case shows it, and a crash never runs a guess again.
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadLab } from '../../src/lab/load.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import { openSandboxed } from '../../src/sandbox/process.ts';
import { NotRun, type LabClient } from '../../src/sandbox/protocol.ts';
import { property } from '../../src/spec/define.ts';
import { expectTensorClose } from '../../src/spec/expect.ts';
import { runTask } from '../../src/spec/runner.ts';
import { value } from '../../src/spec/signature.ts';
import type { CheckContext, TaskSpec } from '../../src/spec/types.ts';
import { corpusSubmission, RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const ATTENTION = await loadLab(join(import.meta.dirname, '../../specs/attention'));
const exact = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (v instanceof Float64Array ? Array.from(v, String) : v));

/** `client` noting every request the module is sent, in order; with or without its `ahead` view. */
function noting(client: LabClient, withAhead: boolean): { lab: LabClient; seen: string[] } {
  const seen: string[] = [];
  const note = (c: LabClient): LabClient => ({
    ...c,
    call: (name, ...args) => (seen.push(exact(['call', name, args])), c.call(name, ...args)),
    drive: (driver, name, ...args) => (seen.push(exact(['drive', driver, name, args])), c.drive(driver, name, ...args)),
    traced: (name, args, driver) => (seen.push(exact(['traced', name, args, driver])), c.traced(name, args, driver)),
  });
  const lab = note(client);
  if (withAhead) lab.ahead = note(client.ahead!);
  else delete lab.ahead;
  return { lab, seen };
}

async function gradeAll(lab: typeof RNN, submission: string, withAhead: boolean) {
  const reference = await openInProcess(lab.paths.reference!, { driver: lab.paths.driver });
  const { lab: student, seen } = noting(await openInProcess(submission, { driver: lab.paths.driver }), withAhead);
  const outcomes = [];
  for (const spec of lab.tasks) outcomes.push(await runTask(spec, student, { seed: 11, drivers: lab.drivers, reference }));
  // The staff detail's first line: its stack below holds the grader's own frames, which differ by the path a call took.
  const report = outcomes.map((o) => [o.score, o.broken, o.properties.map((p) => [p.property, p.passed, p.runs, p.message, { ...p.staff, detail: p.staff?.detail?.split('\n')[0] }])]);
  const digest = createHash('sha1').update(exact(report)).digest('hex');
  return { outcomes, digest, seen };
}

describe('calls ahead', () => {
  test.each([
    ['rnn', RNN],
    ['attention', ATTENTION],
  ])('%s: the reference is sent the very calls, in the very order, with calls ahead as without, and grades the same', async (_name, lab) => {
    expect(lab.tasks.flatMap((t) => t.properties).some((p) => p.callsUpFront)).toBe(true);
    const ahead = await gradeAll(lab, lab.paths.reference!, true);
    const one = await gradeAll(lab, lab.paths.reference!, false);
    expect(ahead.seen).toEqual(one.seen);
    expect(ahead.digest).toBe(one.digest);
    expect(ahead.outcomes.every((o) => !o.broken)).toBe(true);
  }, 120_000);

  test.each([
    ['rnn', RNN],
    ['attention', ATTENTION],
  ])('%s: every check that declares callsUpFront leaves its case as it found it (the stand-in\'s check and the real one share the case)', async (_name, lab) => {
    const reference = await openInProcess(lab.paths.reference!, { driver: lab.paths.driver });
    const ctx: CheckContext = { reference, graderBug: () => {}, expected: (name, ...args) => reference.call(name, ...args) };
    const declared = lab.tasks.flatMap((t) => t.properties).filter((p) => p.callsUpFront);
    expect(declared.length).toBeGreaterThan(3);
    for (const p of declared) {
      for (const input of fc.sample(p.cases, { seed: 3, numRuns: 8 })) {
        const before = structuredClone(input);
        await p.check(reference, input, ctx).catch(() => {}); // passing or not: only the case matters here
        // toEqual, not isDeepStrictEqual: fast-check's records may have a null prototype, which the copy has not.
        expect(input, `${p.id} changed its case`).toEqual(before);
      }
    }
  }, 120_000);

  test('a wrong submission without state gets the same report; its module saw the same calls up to each failure, then the rest of a window', async () => {
    const ahead = await gradeAll(RNN, join(corpusSubmission('forward-no-relu'), 'lab.ts'), true);
    const one = await gradeAll(RNN, join(corpusSubmission('forward-no-relu'), 'lab.ts'), false);
    expect(ahead.digest).toBe(one.digest);
    expect(ahead.outcomes.some((o) => o.score < o.maxScore)).toBe(true);
    expect(ahead.seen.length).toBeGreaterThan(one.seen.length);
    // Every call of the one-by-one run is there, in its order.
    let at = 0;
    for (const request of ahead.seen) if (request === one.seen[at]) at++;
    expect(at).toBe(one.seen.length);
  }, 120_000);

  test('a check that asks for a call after an await, though it declares callsUpFront, breaks its task as the grader\'s fault', async () => {
    const double: TaskSpec = {
      id: 'double',
      title: 'toy',
      points: 1,
      exports: [value('double', { type: 'unknown' })],
      rules: [],
      properties: [
        property({
          id: 'twice-twice',
          title: 'double(double(x)) = 4x',
          visibility: 'public',
          runs: 10,
          callsUpFront: true,
          cases: fc.integer({ min: 0, max: 9 }),
          async check(lab, x) {
            const once = (await lab.call('double', x)) as number;
            expectTensorClose(await lab.call('double', once), 4 * x, { what: 'double(double(x))' });
          },
        }),
      ],
    };
    const file = join(await tempDir('double'), 'lab.ts');
    await writeFile(file, 'export const double = (x: number) => 2 * x;\n');
    const lab = await openInProcess(file);
    const outcome = await runTask(double, lab, { seed: 1 });
    expect(outcome.broken?.kind).toBe('grader-fault');
    expect(outcome.properties[0]!.staff?.detail).toContain("property 'twice-twice' declares callsUpFront, but its check asked for a call it had not asked for before awaiting an answer");
  });
});

describe('the sandbox, requests sent ahead', () => {
  test('answers them in turn; when its process dies, the guesses after are dropped (NotRun) and the calls asked for run on a fresh process, in order', async () => {
    const file = join(await tempDir('dies'), 'lab.ts');
    await writeFile(file, ['let calls = 0;', 'export const count = () => ++calls;', 'export const die = () => { for (;;) {} };', ''].join('\n'));
    const lab = await openSandboxed(file, { callTimeoutMs: 300 });
    try {
      const before = [lab.ahead!.call('count'), lab.ahead!.call('count')];
      const dying = lab.call('die');
      const guesses = [lab.ahead!.call('count'), lab.ahead!.call('count')];
      const asked = [lab.call('count'), lab.call('count')];
      expect(await Promise.all(before)).toEqual([1, 2]);
      await expect(dying).rejects.toThrow(/timed out/);
      for (const guess of guesses) await expect(guess).rejects.toThrow(NotRun);
      // A fresh process: its count starts again, and the two asked for ran in their order.
      expect(await Promise.all(asked)).toEqual([1, 2]);
      expect(lab.starts).toBe(2);
    } finally {
      await lab.close();
    }
  }, 60_000);

  test("once a call of a case ends its process (a timeout), the case's other calls are not run again on a fresh one", async () => {
    const file = join(await tempDir('loops'), 'lab.ts');
    await writeFile(file, ['let calls = 0;', 'export const count = () => ++calls;', 'export const loop = () => { for (;;) {} };', ''].join('\n'));
    const spec: TaskSpec = {
      id: 'loops',
      title: 'toy',
      points: 1,
      exports: [value('loop', { type: 'unknown' }), value('count', { type: 'unknown' })],
      rules: [],
      properties: [
        property({
          id: 'loop-then-count',
          title: 'loop() ends, then count() counts',
          visibility: 'public',
          runs: 3,
          callsUpFront: true,
          cases: fc.constant(0),
          async check(lab) {
            await Promise.all([lab.call('loop'), lab.call('count'), lab.call('count')]);
          },
        }),
      ],
    };
    const lab = await openSandboxed(file, { callTimeoutMs: 300 });
    try {
      const outcome = await runTask(spec, lab, { seed: 1 });
      expect(outcome.broken?.kind).toBe('timeout');
      // One process: the timed-out one. Nothing it was sent after the loop ran again.
      expect(lab.starts).toBe(1);
    } finally {
      await lab.close();
    }
  }, 60_000);
});
