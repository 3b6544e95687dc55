/**
 * Grades each mutant as a submission through the real pipeline (static checks, sandboxed process,
 * the specs of every task it touches) and reads off who killed it: the properties that failed, after
 * how many cases, and whether the lab's fixed examples alone (the baseline, what otter-style tests
 * check) caught it. The gradings run on warm worker processes (workers.ts).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradeSubmission } from '../grading/grade.ts';
import type { GradeReport } from '../model/report.ts';
import type { Lab } from '../lab/load.ts';
import { once } from '../memo.ts';
import { openShared } from '../sandbox/inprocess.ts';
import type { LabClient } from '../sandbox/protocol.ts';
import { probesOf, searchDifference, type Equivalence } from './equivalence.ts';
import { labHarden } from './lab.ts';
import type { Mutant } from './mutants/index.ts';
import { gradeInWorkers } from './workers.ts';

/** A property (or a static rule, or a break of the task) that told the mutant from the reference. */
export interface Kill {
  task: string;
  /** The property id; `static:<rule>`, or the break (`build`, `crash`, ...), when the task did not run. */
  property: string;
  /** Cases fast-check ran up to the first failure (0 when the task never ran). */
  runs: number;
  /** A fixed example of the lab (counts for the baseline). */
  example: boolean;
}

export interface Verdict {
  killedBy: Kill[];
  /** The fixed examples alone caught it. */
  exampleCaught: boolean;
  /** Faults of the grader itself while grading the mutant: its verdict cannot be trusted. */
  graderFaults: string[];
  durationMs: number;
  /** Nothing killed it: the small-case search's finding (equivalence.ts). */
  equivalence?: Equivalence;
}

export interface KillOptions {
  lab: Lab;
  seed: number;
  runs?: number;
  workers: number;
  onVerdict?: (mutant: Mutant, verdict: Verdict) => void;
}

const isExample = (lab: Lab, task: string, property: string) => lab.tasks.find((t) => t.id === task)?.properties.find((p) => p.id === property)?.fixed === true;

/** Who killed the mutant in one grade report. */
export function verdictOf(report: GradeReport, lab: Lab): Verdict {
  const killedBy: Kill[] = [];
  for (const task of report.tasks) {
    const broken = task.broken;
    if (broken?.kind === 'grader-fault') continue;
    if (broken?.kind === 'static') {
      // The task never ran: otter-style tests, which have no static rules, would have run the example.
      const rules = task.findings.filter((f) => f.policy === 'fail').map((f) => `static:${f.rule}`);
      for (const property of rules) killedBy.push({ task: task.task, property, runs: 0, example: false });
      continue;
    }
    const failed = task.properties.filter((p) => !p.passed && p.runs > 0);
    for (const p of failed) killedBy.push({ task: task.task, property: p.property, runs: p.runs, example: isExample(lab, task.task, p.property) });
    // Broken before any case ran (no build, a crash on import, a missing export): the fixed example fails the same way.
    if (broken && failed.length === 0) killedBy.push({ task: task.task, property: broken.kind, runs: 0, example: true });
  }
  const graderFaults = [...(report.graderFaults ?? []), ...report.tasks.filter((t) => t.broken?.kind === 'grader-fault').map((t) => `${t.task}: ${t.broken!.message}`)];
  return { killedBy, exampleCaught: killedBy.some((k) => k.example), graderFaults, durationMs: report.durationMs };
}

/** One mutant to grade: its folder (holding the lab's submission file) and what to grade it on. */
export interface Job {
  id: number;
  dir: string;
  labDir: string;
  seed: number;
  runs?: number;
  /** The tasks the mutant touches; empty: every task. */
  tasks: string[];
}

/**
 * Grades one mutant on the tasks it touches (the others run the reference's own code, so they would
 * pass as the reference does and only cost time); one that nothing kills is searched for a
 * difference from the reference right away, on the same worker.
 */
export async function gradeMutant(lab: Lab, job: Job): Promise<Verdict> {
  const touched = job.tasks.length > 0 ? lab.tasks.filter((t) => job.tasks.includes(t.id)) : lab.tasks;
  const report = await gradeSubmission(job.dir, { lab: { ...lab, tasks: touched }, seed: job.seed, runs: job.runs, crossCheck: false, shrink: false });
  const verdict = verdictOf(report, lab);
  if (verdict.killedBy.length > 0 || verdict.graderFaults.length > 0) return verdict;
  const { reference, probes } = await searcher(lab);
  const text = await readFile(join(job.dir, lab.submission), 'utf8');
  return { ...verdict, equivalence: await searchDifference(lab, probes, text, touched.map((t) => t.id), reference) };
}

/** The reference in process and the lab's small cases, made once per lab and process. */
const searchers = new Map<string, Promise<{ reference: LabClient; probes: ReturnType<typeof probesOf> }>>();
function searcher(lab: Lab) {
  return once(searchers, lab.dir, async () => ({ reference: await openShared(lab.paths.reference!, { driver: lab.paths.driver }), probes: probesOf(lab, (await labHarden(lab)).probes) }));
}

/** Grades every mutant on `workers` warm processes; each is written as the lab's submission file in a folder of its own. */
export async function killMatrix(mutants: Mutant[], options: KillOptions): Promise<Map<string, Verdict>> {
  const root = await mkdtemp(join(tmpdir(), 'propgrade-harden-'));
  const verdicts = new Map<string, Verdict>();
  try {
    const jobs = await Promise.all(
      mutants.map(async (mutant, id): Promise<Job> => {
        const dir = join(root, String(id));
        await mkdir(dir);
        await writeFile(join(dir, options.lab.submission), mutant.text);
        return { id, dir, labDir: options.lab.dir, seed: options.seed, runs: options.runs, tasks: mutant.tasks };
      }),
    );
    await gradeInWorkers(jobs, options.workers, (job, verdict) => {
      verdicts.set(mutants[job.id]!.id, verdict);
      options.onVerdict?.(mutants[job.id]!, verdict);
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return verdicts;
}
