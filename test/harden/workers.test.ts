/** Harden's warm workers: the verdict a worker sends is the one grading in process gives; a job that fails is a grader fault, and the pool goes on. */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { gradeMutant, type Job, type Verdict } from '../../src/harden/kill.ts';
import { gradeInWorkers } from '../../src/harden/workers.ts';
import { RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

test('two workers grade three jobs: a mutant as in process, the reference (searched, equivalent), and a job whose lab is gone (a grader fault)', async () => {
  const root = await tempDir('workers');
  const reference = await readFile(RNN.paths.reference!, 'utf8');
  const texts = [reference.replace('let h = zeros(dim);', 'let h = zeros(dim).add(1);'), reference];
  const jobs: Job[] = await Promise.all(
    [...texts, reference].map(async (text, id) => {
      const dir = join(root, String(id));
      await mkdir(dir);
      await writeFile(join(dir, 'lab.ts'), text);
      return { id, dir, labDir: id === 2 ? join(root, 'no-such-lab') : RNN.dir, seed: 5, tasks: ['forward_function'] };
    }),
  );
  const verdicts = new Map<number, Verdict>();
  await gradeInWorkers(jobs, 2, (job, verdict) => verdicts.set(job.id, verdict));
  expect([...verdicts.keys()].sort()).toEqual([0, 1, 2]);

  const inProcess = await gradeMutant(RNN, jobs[0]!);
  expect(inProcess.killedBy.length).toBeGreaterThan(0);
  expect(verdicts.get(0)!.killedBy).toEqual(inProcess.killedBy);
  // Nothing kills the reference itself: the worker searched it, and found no difference.
  expect(verdicts.get(1)).toMatchObject({ killedBy: [], graderFaults: [], equivalence: { equivalent: true } });
  expect(verdicts.get(0)!.equivalence).toBeUndefined();
  expect(verdicts.get(2)!.killedBy).toEqual([]);
  expect(verdicts.get(2)!.graderFaults[0]).toMatch(/^grading the mutant threw: .*no-such-lab is not a lab/s);
});
