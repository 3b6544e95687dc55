import libCoverage from 'istanbul-lib-coverage';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { CoverageProbe, type CountedLab } from '../../src/grading/coverage.ts';
import { percentages, writeCoverage } from '../../src/reports/coverage.ts';
import { bundleSubmission } from '../../src/sandbox/build.ts';
import { openSandboxed } from '../../src/sandbox/process.ts';
import type { Plain } from '../../src/sandbox/protocol.ts';
import { RNN } from '../helpers/rnn.ts';
import { tempDir } from '../helpers/temp.ts';

// Statements: s0 the `if`, s1 `return 1`, s2 `return -1`; one function; one branch with two arms.
const SIGN = ['export function sign(x: number): number {', '  if (x > 0) {', '    return 1;', '  }', '  return -1;', '}', ''].join('\n');

let dir: string;
let lab: string;
beforeAll(async () => {
  dir = await tempDir('coverage');
  lab = join(dir, 'lab.ts');
  await writeFile(lab, SIGN);
});

/** A stand-in for the sandbox: answers the coverage export with `counts`, claims `starts` processes. */
const fakeLab = (answers: Plain[], starts: () => number): CountedLab => ({
  call: async () => answers.shift()!,
  get starts() {
    return starts();
  },
});

test('the instrumented lab runs in the sandbox and counts each task apart', async () => {
  const probe = await CoverageProbe.create(lab, SIGN);
  const bundle = await bundleSubmission(probe.instrumented, { entry: 'child', driver: RNN.paths.driver });
  await probe.remove();
  const sandboxed = await openSandboxed(bundle);
  try {
    await sandboxed.call('sign', 1);
    const first = (await probe.read(sandboxed))!;
    expect(first.data.s).toEqual({ 0: 1, 1: 1, 2: 0 });
    expect(first.data.b).toEqual({ 0: [1, 0] });
    expect(first.getUncoveredLines().map(String)).toEqual(['5']);

    await sandboxed.call('sign', -1);
    await sandboxed.call('sign', -2);
    const second = (await probe.read(sandboxed))!;
    expect(second.data.s).toEqual({ 0: 2, 1: 0, 2: 2 });
    expect(second.data.b).toEqual({ 0: [0, 2] });
    expect(percentages(second)).toEqual({ lines: 66.66, branches: 50 });
  } finally {
    await sandboxed.close();
    await bundle.remove();
  }
});

test('after a restart the new process counts from zero', async () => {
  const probe = await CoverageProbe.create(lab, SIGN);
  await probe.remove();
  let starts = 1;
  const counts = (s: number[], b: number[]) => ({ s: { 0: s[0]!, 1: s[1]!, 2: s[2]! }, f: { 0: s[0]! }, b: { 0: b } });
  const sandbox = fakeLab([counts([3, 3, 0], [3, 0]), counts([1, 0, 1], [0, 1])], () => starts);
  expect((await probe.read(sandbox))!.data.s).toEqual({ 0: 3, 1: 3, 2: 0 });
  starts = 2;
  expect((await probe.read(sandbox))!.data.s).toEqual({ 0: 1, 1: 0, 2: 1 });
});

test('forged counters are refused, not believed', async () => {
  const probe = await CoverageProbe.create(lab, SIGN);
  await probe.remove();
  const forged: Plain[] = [
    null,
    'all covered',
    { s: { 0: 1, 1: 1, 2: 1 }, f: { 0: 1 }, b: { 0: [1, 1, 1] } }, // a branch with three arms
    { s: { 0: 1, 1: -1, 2: 1 }, f: { 0: 1 }, b: { 0: [1, 1] } }, // a negative count
    { s: { 0: 1, 2: 1 }, f: { 0: 1 }, b: { 0: [1, 1] } }, // a statement missing
  ];
  const sandbox = fakeLab(forged, () => 1);
  for (let i = 0; i < forged.length; i++) expect(await probe.read(sandbox)).toBeUndefined();
  const failing: CountedLab = { call: () => Promise.reject(new Error('timed out')), starts: 1 };
  expect(await probe.read(failing)).toBeUndefined();
});

test('the report holds lab.ts alone, as istanbul JSON and HTML', async () => {
  const probe = await CoverageProbe.create(lab, SIGN);
  await probe.remove();
  const covered = (await probe.read(fakeLab([{ s: { 0: 1, 1: 1, 2: 0 }, f: { 0: 1 }, b: { 0: [1, 0] } }], () => 1)))!;
  const map = libCoverage.createCoverageMap({});
  map.addFileCoverage(covered);
  const written = writeCoverage(map, join(dir, 'report'));
  // 2 of 3 statement lines (2, 3 but not 5); 1 of 2 branch arms.
  expect(written).toMatchObject({ lines: 66.66, branches: 50 });
  expect(Object.keys(JSON.parse(await readFile(written.jsonPath, 'utf8')))).toEqual([lab]);
  expect((await stat(written.htmlPath)).isFile()).toBe(true);
});
