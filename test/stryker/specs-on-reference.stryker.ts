/**
 * The spec suite as Stryker's tests: every task's runner against the module under test (Stryker's
 * mutated copy of reference/lab.ts, bundled and imported in this process, so its mutant switch, a
 * global, is the one Stryker sets). Hidden properties compare it with the pristine reference named
 * by PROPGRADE_PRISTINE_REFERENCE (stryker.config.mjs sets it to the project's own file); the
 * TensorFlow.js cross-check of the reference is skipped to stay fast. fast-check's seed is pinned by
 * test/setup.ts (FIELD-NOTES: unpinned seeds give a mutation score of 0).
 */
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../../src/gradescope/package.ts';
import { DEFAULT_LAB, loadLab } from '../../src/lab/load.ts';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import type { LabClient } from '../../src/sandbox/protocol.ts';
import { runTask } from '../../src/spec/runner.ts';

/** The lab (PROPGRADE_LAB, default the RNN lab), and its reference: the file Stryker mutates in its sandbox copy. */
const LAB = await loadLab(process.env.PROPGRADE_LAB ?? DEFAULT_LAB);
const UNDER_TEST = join(fileURLToPath(new URL('../../', import.meta.url)), relative(PROJECT_ROOT, LAB.paths.reference!));
const driver = LAB.paths.driver;
const PRISTINE = process.env.PROPGRADE_PRISTINE_REFERENCE ?? UNDER_TEST;
/** The seed reaches here through the environment (PROPGRADE_TEST_SEED), as it does test/setup.ts. */
const SEED = Number(process.env.PROPGRADE_TEST_SEED ?? 20261125);

let pristine: LabClient;
beforeAll(async () => {
  pristine = await openInProcess(PRISTINE, { driver });
});
afterAll(() => pristine.close());

test.each(LAB.tasks.map((task) => [task.id, task] as const))('%s', async (_id, task) => {
  // Opened per test: a fresh bundle re-runs the module's top level, where Stryker's static mutants live.
  const underTest = await openInProcess(UNDER_TEST, { driver });
  try {
    const outcome = await runTask(task, underTest, { seed: SEED, reference: pristine, oracle: async () => null, drivers: LAB.drivers });
    expect(outcome.broken).toBeUndefined();
    // One string, so Stryker's status reason names every failing property and its cases.
    expect(outcome.properties.filter((p) => !p.passed).map((p) => `${p.property} after ${p.runs} cases`).join(', ')).toBe('');
  } finally {
    await underTest.close();
  }
});
