/**
 * A warm grader process for harden (forked by workers.ts): it loads the lab once, then grades one
 * mutant after another through the real pipeline (each mutant still in a sandboxed child of its
 * own) and answers each job with its verdict. One start-up per worker instead of one per mutant.
 */
import { register } from 'node:module';
import { loadLab } from '../lab/load.ts';
import { gradeMutant, type Job, type Verdict } from './kill.ts';

// Labs outside this installation import propgrade and fast-check from it (bin/resolve-propgrade.mjs).
register('../../bin/resolve-propgrade.mjs', import.meta.url);

export type Answer = { id: number; verdict: Verdict } | { id: number; error: string } | { ready: true };

const answer = (message: Answer) => process.send!(message);

process.on('message', (job: Job) => {
  loadLab(job.labDir)
    .then((lab) => gradeMutant(lab, job))
    .then(
      (verdict) => answer({ id: job.id, verdict }),
      (error: unknown) => answer({ id: job.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
});
// The parent is done (or gone): so is this worker.
process.on('disconnect', () => process.exit(0));
answer({ ready: true });
