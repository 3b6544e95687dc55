// A sandbox opened ahead of its grade (check --watch opens the next save's while the student edits):
// the grade that takes it is the grade it would have been, served by the process that booted ahead;
// a grade that cannot use it, or nobody, leaves neither its process nor its folder behind.
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeSubmission, openSandboxAhead, type GradeEvent } from '../../src/grading/grade.ts';
import { bootOf, CHILD_BOOT } from '../../src/sandbox/build.ts';
import type { GradeReport } from '../../src/model/report.ts';
import { bootedFrom } from '../helpers/processes.ts';
import { until } from '../helpers/wait.ts';
import { corpusSubmission, REFERENCE_LAB } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

const options = { seed: 11, visibility: 'public', crossCheck: false } as const;

/** The pids of node processes running the boot in `dir`. */
const booted = (dir: string): number[] => bootedFrom(bootOf(dir));

/** The report without what differs from run to run (times). */
const timeless = (report: GradeReport) => JSON.stringify(report, (key, value) => (key === 'startedAt' || key === 'durationMs' ? undefined : value));

describe('a grade given a sandbox booted ahead', () => {
  it('grades exactly as without it, from the process that booted ahead, and leaves nothing behind', async () => {
    for (const submission of [dirname(REFERENCE_LAB), corpusSubmission('forward-no-relu')]) {
      const ahead = await openSandboxAhead({ visibility: 'public' });
      const { dir } = ahead;
      await until(() => booted(dir).length === 1, 'the boot');
      const [pid] = booted(dir);
      // As each property ends: the processes booted in that folder, and what the folder holds (the build went there).
      const serving: Array<{ pids: number[]; files: string[] }> = [];
      const onProgress = (event: GradeEvent) => void (event.kind === 'property-end' && serving.push({ pids: booted(dir), files: readdirSync(dir).sort() }));
      const report = await gradeSubmission(submission, { ...options, sandbox: ahead, onProgress });
      expect(timeless(report)).toBe(timeless(await gradeSubmission(submission, options)));
      expect(serving.length).toBeGreaterThan(3);
      for (const seen of serving) expect(seen).toEqual({ pids: [pid], files: [CHILD_BOOT, 'lab.bundle.mjs', 'lab.bundle.mjs.map'] });
      expect(booted(dir)).toEqual([]);
      expect(existsSync(dir)).toBe(false);
    }
  });

  it('is discarded, process and folder, by a grade that has no submission to build', async () => {
    const ahead = await openSandboxAhead({ visibility: 'public' });
    const { dir } = ahead;
    await until(() => booted(dir).length === 1, 'the boot');
    const report = await gradeSubmission(await tempDir('no-lab'), { ...options, sandbox: ahead });
    expect(report.tasks.every((t) => t.broken?.kind === 'build')).toBe(true);
    expect(booted(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('is ended with its folder when discarded untaken; once taken, discarding it leaves both to the grade', async () => {
    const untaken = await openSandboxAhead({ visibility: 'public' });
    await until(() => booted(untaken.dir).length === 1, 'the boot');
    await untaken.discard();
    expect(untaken.take()).toBeUndefined();
    expect(booted(untaken.dir)).toEqual([]);
    expect(existsSync(untaken.dir)).toBe(false);

    const ahead = await openSandboxAhead({ visibility: 'public' });
    await until(() => booted(ahead.dir).length === 1, 'the boot');
    const use = ahead.take()!; // what a grade does first
    expect(ahead.take()).toBeUndefined();
    await ahead.discard();
    expect(booted(ahead.dir)).toHaveLength(1);
    expect(existsSync(ahead.dir)).toBe(true);
    // The grade's part: a build that failed ends the waiting process; the folder is the grade's to remove.
    const lab = use(Promise.reject(new Error('no build here')));
    await expect(lab.exports()).rejects.toThrow('no build here');
    await lab.close();
    expect(booted(ahead.dir)).toEqual([]);
    await rm(ahead.dir, { recursive: true, force: true });
  });
});
