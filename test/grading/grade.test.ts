/**
 * gradeSubmission through the real pipeline (static checks, esbuild, the sandboxed process, the
 * specs, the reference in process): never an empty report, whatever the submission.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { gradeSubmission, replayCommand } from '../../src/grading/grade.ts';
import type { GradeReport } from '../../src/model/report.ts';
import { hmacSeed } from '../../src/grading/seed.ts';
import { toGradescope } from '../../src/reports/results.ts';
import { writeReports } from '../../src/reports/write.ts';
import { tempDir } from '../helpers/temp.ts';
import { gradescopeProblems } from '../helpers/gradescope.ts';
import { corpusSubmission, REFERENCE_LAB, RNN, TASK_IDS } from '../helpers/rnn.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));
const REFERENCE = dirname(REFERENCE_LAB);

const FORWARD_BY_HAND = `import type { Tensor } from 'propgrade/autograd';

export function forwardByHand(U: Tensor, V: Tensor, W: Tensor, x1: Tensor, x2: Tensor, h0: Tensor) {
  const h1 = U.matmul(x1).add(V.matmul(h0)).relu();
  const h2 = U.matmul(x2).add(V.matmul(h1)).relu();
  return { h1, o1: W.matmul(h1), h2, o2: W.matmul(h2) };
}
`;

let work: string;
beforeAll(async () => {
  work = await tempDir('grade');
});

/** A submission folder holding `lab` as its lab.ts (or nothing when `lab` is undefined). */
async function submission(name: string, lab?: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  if (lab !== undefined) await writeFile(join(dir, 'lab.ts'), lab);
  return dir;
}

/** results.json is valid and has an entry for every task, each saying something. */
function expectCompleteResults(report: GradeReport): void {
  const results = toGradescope(report);
  expect(gradescopeProblems(results)).toEqual([]);
  expect(new Set(results.tests.map((t) => t.extra_data.task))).toEqual(new Set(TASK_IDS));
  for (const t of results.tests) expect(t.output.length).toBeGreaterThan(0);
  // A task's entries share exactly its points, so its score is their sum (CONTRACT section 5).
  for (const spec of RNN.tasks) {
    const max = results.tests.filter((t) => t.extra_data.task === spec.id).reduce((sum, t) => sum + t.max_score, 0);
    expect(max, spec.id).toBeCloseTo(spec.points, 9);
  }
}

test('the reference passes every task, with coverage of every line the tasks reach', async () => {
  const report = await gradeSubmission(REFERENCE, { seed: 1, coverageDir: join(work, 'reference-coverage') });
  expect(report.tasks.filter((t) => !t.passed).map((t) => t.task)).toEqual([]);
  const points = RNN.tasks.reduce((sum, t) => sum + t.points, 0);
  expect(toGradescope(report).score).toBe(points);
  expectCompleteResults(report);
  expect(report.sandboxLayers).toContain('permission-model');
  expect(report.coverage!.lines).toBeGreaterThan(90);
  expect(Object.keys(report.coverage!.perTask!)).toEqual([...TASK_IDS]);
  expect(existsSync(join(work, 'reference-coverage', 'index.html'))).toBe(true);
  // The forward graphs on the notebook's example, for the HTML report: every output of forwardByHand a root.
  expect(Object.keys(report.graphs!)).toEqual(['forward_by_hand', 'forward_function']);
  for (const output of ['h1', 'o1', 'h2', 'o2']) expect(report.graphs!.forward_by_hand).toMatch(new RegExp(`^digraph[\\s\\S]*label="${output}\\\\n`));
});

describe('a broken submission still gets an entry for every task, saying why', () => {
  test('no lab.ts in the folder', async () => {
    const report = await gradeSubmission(await submission('empty'), { seed: 1 });
    expectCompleteResults(report);
    for (const t of report.tasks) expect(t.broken).toMatchObject({ kind: 'build', message: expect.stringContaining('There is no lab.ts') });
  });

  test('a syntax error', async () => {
    const report = await gradeSubmission(await submission('syntax', `${FORWARD_BY_HAND}\nexport function forward(input {\n`), { seed: 1 });
    expectCompleteResults(report);
    for (const t of report.tasks) {
      expect(t.broken?.kind).toBe('static');
      expect(t.broken?.message).toMatch(/lab\.ts:10:\d+ syntax/);
    }
  });

  test('missing exports break only the tasks that grade them', async () => {
    const report = await gradeSubmission(await submission('only-fbh', FORWARD_BY_HAND), { seed: 1, runs: 5 });
    expectCompleteResults(report);
    expect(report.tasks[0]).toMatchObject({ task: 'forward_by_hand', passed: true });
    for (const t of report.tasks.slice(1)) expect(t.broken?.kind).toBe('missing-export');
    expect(report.tasks[1]!.broken!.message).toContain("lab.ts does not export 'forward'");
  });

  test('a module esbuild refuses (past the static checks)', async () => {
    const report = await gradeSubmission(await submission('twice', `${FORWARD_BY_HAND}export const answer = 1;\nexport const answer = 2;\n`), {
      seed: 1,
      coverageDir: join(work, 'twice-coverage'),
    });
    expectCompleteResults(report);
    for (const t of report.tasks) {
      expect(t.broken?.kind).toBe('build');
      expect(t.broken?.message).toMatch(/lab\.ts:9:14: Multiple exports with the same name "answer"/);
    }
  });

  test('an import other than the engine', async () => {
    const lab = `import { readFileSync } from 'node:fs';\n${FORWARD_BY_HAND}\nexport const secret = () => readFileSync('/etc/passwd', 'utf8');\n`;
    const report = await gradeSubmission(await submission('imports-fs', lab), { seed: 1 });
    expectCompleteResults(report);
    for (const t of report.tasks) {
      expect(['static', 'build']).toContain(t.broken?.kind);
      expect(t.broken?.message).toContain('node:fs');
    }
  });
});

// Two that get past the static checks (the others are stopped there), so the sandbox meets them.
describe('hostile submissions fail only their own tasks', () => {
  test.each(['endless-loop', 'memory-bomb'])('%s', async (name) => {
    const expected = JSON.parse(await readFile(fixture(`hostile/${name}/expected.json`), 'utf8'));
    const report = await gradeSubmission(fixture(`hostile/${name}`), { seed: 1, runs: 10 });
    expect(Object.fromEntries(report.tasks.map((t) => [t.task, t.passed ? 'pass' : 'fail']))).toEqual(expected.tasks);
    expectCompleteResults(report);
    expect(existsSync(fixture(`hostile/${name}/results.json`))).toBe(false);
    expect(existsSync(fixture('hostile/results.json'))).toBe(false);
  });
});

test('--seed reproduces every file byte for byte, timings aside', async () => {
  const lab = corpusSubmission('forward-tanh');
  const texts = async (out: string) => {
    await writeReports(await gradeSubmission(lab, { seed: 42, runs: 10 }), out);
    const read = (file: string) => readFile(join(out, file), 'utf8');
    return {
      results: (await read('results.json')).replace(/"execution_time": [\d.]+/, ''),
      junit: (await read('junit.xml')).replace(/ (time|timestamp)="[^"]*"/g, ''),
      markdown: await read('report.md'),
      json: (await read('report.json')).replace(/"(startedAt|durationMs)": ("[^"]*"|[\d.]+)/g, ''),
    };
  };
  // One call site: staff detail holds stack traces, which name it.
  const runs = [];
  for (const out of ['seed-a', 'seed-b']) runs.push(await texts(join(work, out)));
  expect(runs[1]).toEqual(runs[0]);
  const first = runs[0]!;
  expect(first.markdown).toContain('seed 42 (--seed)');
  expect(first.results).toContain('"status": "failed"');
});

test("a hidden failure's seed and path replay its counterexample alone", async () => {
  const lab = corpusSubmission('forward-tanh');
  const graded = await gradeSubmission(lab, { seed: 5, only: { task: 'forward_function' } });
  const hidden = graded.tasks[0]!.properties.find((p) => p.visibility === 'hidden' && !p.passed)!;
  expect(hidden.staff!.replay).toBe(replayCommand(lab, 'forward_function', hidden.property, 5, hidden.staff!.path!, true));
  const replayed = await gradeSubmission(lab, { seed: 5, only: { task: 'forward_function', property: hidden.property, path: hidden.staff!.path } });
  const again = replayed.tasks[0]!.properties[0]!;
  expect(again).toMatchObject({ property: hidden.property, passed: false, runs: 1 });
  expect(again.staff!.counterexample).toEqual(hidden.staff!.counterexample);
});

test('without --seed, the seed is the HMAC of the secret and lab.ts', async () => {
  const original = await readFile(join(corpusSubmission('correct-loops'), 'lab.ts'), 'utf8');
  const changed = `${original}\n// one more comment\n`;
  const options = { secret: 'course secret', only: { task: 'bigram' as const }, runs: 1 };
  const a = await gradeSubmission(await submission('hmac-a', original), options);
  const again = await gradeSubmission(await submission('hmac-again', original), options);
  const b = await gradeSubmission(await submission('hmac-b', changed), options);
  expect(a).toMatchObject({ seed: hmacSeed('course secret', original), seedSource: 'hmac' });
  expect(again.seed).toBe(a.seed);
  expect(b.seed).toBe(hmacSeed('course secret', changed));
  expect(b.seed).not.toBe(a.seed);
});

test('a public-only run (check) skips the hidden properties and the graphs', async () => {
  const report = await gradeSubmission(corpusSubmission('correct-loops'), { seed: 2, visibility: 'public', only: { task: 'forward_by_hand' }, runs: 3 });
  const visibilities = new Set(report.tasks[0]!.properties.map((p) => p.visibility));
  expect(visibilities).toEqual(new Set(['public']));
  expect(report.graphs).toBeUndefined();
});

test('a single file is a submission too', async () => {
  const dir = join(work, 'as-file');
  await cp(corpusSubmission('correct-loops'), dir, { recursive: true });
  const report = await gradeSubmission(join(dir, 'lab.ts'), { seed: 3, only: { task: 'forward_by_hand' }, runs: 3 });
  expect(report.tasks.map((t) => [t.task, t.passed])).toEqual([['forward_by_hand', true]]);
});
