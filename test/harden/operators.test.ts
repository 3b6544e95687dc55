/**
 * Every domain operator plants its mistake in the reference: the mutant compiles, differs, and the
 * specs kill it (run in process on the tasks it touches, as Stryker's suite does). The one operator
 * whose only mutant is equivalent under the subgradient rule is checked in equivalence.test.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { domainMutants, OPERATORS, type Mutant } from '../../src/harden/mutants/index.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import type { LabClient } from '../../src/sandbox/protocol.ts';
import { runTask } from '../../src/spec/runner.ts';
import { REFERENCE_LAB, RNN, taskById } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const EQUIVALENT_ONLY = ['kink-side'];

let referenceText: string;
let reference: LabClient;
let dir: string;
beforeAll(async () => {
  referenceText = await readFile(REFERENCE_LAB, 'utf8');
  reference = await openInProcess(REFERENCE_LAB, { driver: RNN.paths.driver });
  dir = await tempDir('operators');
});
afterAll(() => reference.close());

/** The properties of the mutant's tasks that fail, in process, oracle cross-check off. */
async function failingProperties(mutant: Mutant): Promise<string[]> {
  const file = join(dir, `${mutant.id.replace(/\W/g, '_')}.ts`);
  await writeFile(file, mutant.text);
  const lab = await openInProcess(file, { driver: RNN.paths.driver });
  try {
    const failing: string[] = [];
    for (const task of mutant.tasks) {
      const outcome = await runTask(taskById(task), lab, { seed: 7, reference, oracle: async () => null });
      failing.push(...outcome.properties.filter((p) => !p.passed).map((p) => `${task}/${p.property}`));
    }
    return failing;
  } finally {
    await lab.close();
  }
}

describe.each(OPERATORS.map((o) => [o.id]))('%s', (id) => {
  test('its mutants compile, differ from the reference, touch a task, and one is killed by the specs', async () => {
    const mutants = domainMutants(referenceText, RNN.tasks, [id]);
    expect(mutants.length).toBeGreaterThan(0);
    for (const m of mutants) {
      expect(m.text, m.id).not.toBe(referenceText);
      expect(m.diff, m.id).toMatch(/^-/m);
      expect(m.tasks.length, m.id).toBeGreaterThan(0);
      await expect(transform(m.text, { loader: 'ts' }), m.id).resolves.toBeDefined();
    }
    if (EQUIVALENT_ONLY.includes(id)) return;
    let killed = false;
    for (const m of mutants) if ((killed = (await failingProperties(m)).length > 0)) break;
    expect(killed).toBe(true);
  });
});

test('an unknown operator is refused with the list of known ones', () => {
  expect(() => domainMutants('', RNN.tasks, ['no-such-operator'])).toThrow(/unknown mutation operator no-such-operator \(known: transposed-matrix, /);
});
