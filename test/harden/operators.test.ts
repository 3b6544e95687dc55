/**
 * Every operator, generic or a bundled lab's own, plants its mistake in the lab's reference: the
 * mutant compiles, differs, touches a task, and the specs kill one of its mutants (run in process on
 * the tasks it touches, as Stryker's suite does). The RNN lab's one operator whose only mutant is
 * equivalent under the subgradient rule is checked in equivalence.test.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { labHarden } from '../../src/harden/lab.ts';
import { domainMutants, GENERIC_OPERATORS, type Mutant } from '../../src/harden/mutants/index.ts';
import { bundledLabs, loadLab, type Lab } from '../../src/lab/load.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import type { LabClient } from '../../src/sandbox/protocol.ts';
import { runTask } from '../../src/spec/runner.ts';
import { tempDir } from '../helpers/temp.ts';

const EQUIVALENT_ONLY: Record<string, string[]> = { rnn: ['kink-side'] };

const labs = await Promise.all((await bundledLabs()).map((dir) => loadLab(dir)));
const setups = await Promise.all(labs.map(async (lab) => ({ lab, reference: await readFile(lab.paths.reference!, 'utf8'), operators: (await labHarden(lab)).operators })));

/** The properties of the mutant's tasks that fail, in process, oracle cross-check off. */
async function failingProperties(lab: Lab, reference: LabClient, mutant: Mutant): Promise<string[]> {
  const file = join(await tempDir('operators'), 'lab.ts');
  await writeFile(file, mutant.text);
  const student = await openInProcess(file, { driver: lab.paths.driver });
  try {
    const failing: string[] = [];
    for (const task of mutant.tasks) {
      const outcome = await runTask(lab.task(task), student, { seed: 7, reference, oracle: async () => null, drivers: lab.drivers });
      failing.push(...outcome.properties.filter((p) => !p.passed).map((p) => `${task}/${p.property}`));
    }
    return failing;
  } finally {
    await student.close();
  }
}

describe.each(setups.flatMap((s) => s.operators.map((o) => [`${s.lab.id}: ${o.id}`, s, o.id] as const)))('%s', (_name, { lab, reference: text, operators }, id) => {
  test('its mutants compile, differ from the reference, touch a task, and one is killed by the specs', async () => {
    const mutants = domainMutants(text, lab, operators, [id]);
    // A generic operator may find nothing to do in one lab (no loop to shift); a lab's own always does.
    if (GENERIC_OPERATORS.some((o) => o.id === id) && mutants.length === 0) return;
    expect(mutants.length).toBeGreaterThan(0);
    for (const m of mutants) {
      expect(m.text, m.id).not.toBe(text);
      expect(m.diff, m.id).toMatch(/^-/m);
      expect(m.tasks.length, m.id).toBeGreaterThan(0);
      await expect(transform(m.text, { loader: 'ts' }), m.id).resolves.toBeDefined();
    }
    if (EQUIVALENT_ONLY[lab.id]?.includes(id)) return;
    const reference = await openInProcess(lab.paths.reference!, { driver: lab.paths.driver });
    try {
      let killed = false;
      for (const m of mutants) if ((killed = (await failingProperties(lab, reference, m)).length > 0)) break;
      expect(killed).toBe(true);
    } finally {
      await reference.close();
    }
  });
});

test('every generic operator finds something to mutate in some bundled lab', () => {
  for (const operator of GENERIC_OPERATORS) expect(setups.some((s) => domainMutants(s.reference, s.lab, s.operators, [operator.id]).length > 0), operator.id).toBe(true);
});

test('an unknown operator is refused with the list of known ones', () => {
  const [rnn] = setups.filter((s) => s.lab.id === 'rnn');
  expect(() => domainMutants('', rnn!.lab, rnn!.operators, ['no-such-operator'])).toThrow(/unknown mutation operator no-such-operator \(known: relu-dropped, .*, transposed, /);
});
