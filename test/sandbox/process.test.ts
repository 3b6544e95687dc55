// The sandboxed transport with a well-behaved lab: answers, order, closing.
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusSubmission } from '../helpers/rnn.ts';
import { describe, expect, it } from 'vitest';
import { bootOf, BuildError, bundleFolder, bundleSubmission, CHILD_BOOT, type Bundle } from '../../src/sandbox/build.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import { openSandboxed } from '../../src/sandbox/process.ts';
import { MAX_FAILURE_MESSAGE, StudentError, type PlainTensor } from '../../src/sandbox/protocol.ts';
import { bootedFrom } from '../helpers/processes.ts';
import { until } from '../helpers/wait.ts';
import { tempDir } from '../helpers/temp.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/${path}/lab.ts`, import.meta.url));
const t = (shape: number[], values: number[]): PlainTensor => ({ shape, data: new Float64Array(values) });
const TABLE = t([2, 2], [0.75, 0.25, 0.4, 0.6]);
const a = [1, 0];
const b = [0, 1];
const words = (...ws: number[][]) => t([ws.length, 2], ws.flat());

/** The pids of node processes running the boot of `dir`. */
const booted = (dir: string): number[] => bootedFrom(bootOf(dir));

describe('openSandboxed', () => {
  it('answers concurrent calls, each with its own result, from one process', async () => {
    const lab = await openSandboxed(join(corpusSubmission('correct-loops'), 'lab.ts'));
    try {
      // Products of T[w_t][w_{t+1}] worked out by hand.
      const cases: Array<[PlainTensor, number]> = [
        [words(a, a), 0.75],
        [words(a, b), 0.25],
        [words(b, a), 0.4],
        [words(b, b), 0.6],
        [words(a, b, b), 0.25 * 0.6],
        [words(b), 1],
      ];
      const answers = await Promise.all(cases.map(([seq]) => lab.call('sequenceProbability', seq, TABLE)));
      expect(answers).toEqual(cases.map(([, p]) => t([], [p])));
      expect(lab.starts).toBe(1);
    } finally {
      await lab.close();
    }
  });

  it('serves tens of thousands of calls from one process (address space left for V8 to grow)', async () => {
    const lab = await openSandboxed(join(corpusSubmission('correct-loops'), 'lab.ts'));
    try {
      const args = [t([1], [0.5]), t([1], [0.25]), t([1], [0.75]), t([4], [1, 0.5, -0.25, 1]), t([1], [0])];
      const first = await lab.call('bpttGradU', ...args);
      for (let i = 0; i < 40_000; i++) await lab.call('bpttGradU', ...args);
      expect(await lab.call('bpttGradU', ...args)).toEqual(first);
      expect(lab.starts).toBe(1);
    } finally {
      await lab.close();
    }
  });

  it('passes a long thrown message on cut to the cap, its cut marked, as the in-process transport does', async () => {
    const file = join(await tempDir('long-message'), 'lab.ts');
    await writeFile(file, "export function shout() { throw new Error('x'.repeat(5000)); }\n");
    const expected = `Error: ${'x'.repeat(MAX_FAILURE_MESSAGE - 'Error: '.length - '… (truncated)'.length)}… (truncated)`;
    for (const lab of [await openSandboxed(file), await openInProcess(file)]) {
      await expect(lab.call('shout')).rejects.toThrow(new StudentError('threw', expected));
      await lab.close();
    }
  });

  it('refuses requests once closed', async () => {
    const bundle = await bundleSubmission(join(corpusSubmission('correct-loops'), 'lab.ts'), { entry: 'child' });
    const lab = await openSandboxed(bundle);
    await lab.exports();
    await lab.close();
    await expect(lab.exports()).rejects.toThrow(`the sandbox of ${bundle.dir} is closed`);
    await bundle.remove();
  });

  it('boots its process while the bundle still builds, and sends the first request once the bundle is there', async () => {
    const dir = await bundleFolder();
    let finish!: (bundle: Bundle) => void;
    const lab = await openSandboxed({ dir, built: new Promise<Bundle>((resolve) => (finish = resolve)) });
    try {
      const answer = lab.call('sequenceProbability', words(a, b), TABLE);
      // The boot runs, waiting: no bundle in its folder yet.
      await until(() => booted(dir).length === 1, 'the boot');
      expect(await readdir(dir)).toEqual([CHILD_BOOT]);
      finish(await bundleSubmission(join(corpusSubmission('correct-loops'), 'lab.ts'), { entry: 'child', dir }));
      expect(await answer).toEqual(t([], [0.25]));
      expect(lab.starts).toBe(1);
    } finally {
      await lab.close();
      await rm(dir, { recursive: true, force: true });
    }
    expect(booted(dir)).toEqual([]);
  });

  it('fails every request with the build error when the bundle does not build, and ends the process that waited for it', async () => {
    const dir = await bundleFolder();
    const file = join(await tempDir('broken'), 'lab.ts');
    await writeFile(file, 'export function broken( {\n');
    const lab = await openSandboxed({ dir, built: bundleSubmission(file, { entry: 'child', dir }) });
    await expect(lab.exports()).rejects.toThrow(BuildError);
    await expect(lab.call('broken')).rejects.toThrow(BuildError);
    await lab.close();
    expect(booted(dir)).toEqual([]);
    // The folder was given: it stays its caller's to remove.
    expect(await readdir(dir)).toEqual([CHILD_BOOT]);
    await rm(dir, { recursive: true, force: true });
  });

  it.runIf(process.getuid?.() === 0)('says so when the student, run as nobody, could not reach the bundle', async () => {
    const closed = await tempDir('private');
    const bundle = await bundleSubmission(join(corpusSubmission('correct-loops'), 'lab.ts'), { entry: 'child', parent: closed });
    await expect(openSandboxed(bundle)).rejects.toThrow(`the sandbox runs as nobody, who cannot reach ${bundle.dir}: ${closed} is closed to others`);
  });
});
