/** The clean evasion fixtures are correct labs: graded in process against the reference, every task passes. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { LabClient } from '../../src/sandbox/protocol.ts';
import { failureSummary, gradeInProcess, openReference } from '../corpus/corpus.ts';
import { RNN } from '../helpers/rnn.ts';

const EVASIONS = fileURLToPath(new URL('../../fixtures/evasions/', import.meta.url));
let reference: LabClient;

beforeAll(async () => {
  reference = await openReference(RNN);
});
afterAll(() => reference.close());

test.each(['clean-loops.ts', 'clean-methods.ts', 'clean-helpers.ts'])('%s passes every task', async (name) => {
  const failed = (await gradeInProcess(RNN, EVASIONS + name, reference)).filter((o) => !o.passed);
  expect(failed.map((o) => `${o.task}: ${failureSummary(o)}`)).toEqual([]);
});
