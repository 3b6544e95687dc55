/**
 * The start-up profile: `propgrade --help`, `propgrade grade` and `propgrade check` of the
 * reference, each a fresh process as a student or a Gradescope job starts it, with the time at
 * which each phase starts and ends (src/grading/phase.ts, read through bench/profile-hook.mjs),
 * the process's CPU time (its own and its sandboxed children's) and its peak memory. Medians over
 * ROUNDS runs. CPU time is the figure to trust on a busy machine: wall time includes waiting for a core.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/propgrade.js');
const HOOK = join(ROOT, 'bench/profile-hook.mjs');
const REFERENCE = join(ROOT, 'specs/rnn/reference');
const ROUNDS = 5;

/** What profile-hook.mjs writes. */
interface Profile {
  phases: { name: string; start: number; end: number }[];
  exitMs: number;
  cpuS: number;
  childrenCpuS: number;
  maxRssMb: number;
}

interface Run extends Profile {
  wallS: number;
}


/** One fresh `node bin/propgrade.js ...` with the hook; exit 0 or 1 (a failing check) is fine. */
async function profiled(args: string[], dir: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const file = join(dir, 'profile.json');
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env, PROPGRADE_PROFILE: file }, stdio: ['ignore', 'ignore', 'pipe'] });
  const wallS = (performance.now() - started) / 1000;
  if (run.status !== 0 && run.status !== 1) throw new Error(`propgrade ${args.join(' ')} exited with ${run.status}: ${run.stderr}`);
  return { ...(JSON.parse(await readFile(file, 'utf8')) as Profile), wallS };
}

/** The median of each figure over runs, phases matched by name (a phase missing from a run is left out). */
function medianRun(runs: Run[]): Run {
  const names = runs[0]!.phases.map((p) => p.name).filter((name) => runs.every((r) => r.phases.some((p) => p.name === name)));
  const of = (name: string, key: 'start' | 'end') => median(runs.map((r) => r.phases.find((p) => p.name === name)![key]));
  return {
    phases: names.map((name) => ({ name, start: of(name, 'start'), end: of(name, 'end') })),
    exitMs: median(runs.map((r) => r.exitMs)),
    cpuS: median(runs.map((r) => r.cpuS)),
    childrenCpuS: median(runs.map((r) => r.childrenCpuS)),
    maxRssMb: median(runs.map((r) => r.maxRssMb)),
    wallS: median(runs.map((r) => r.wallS)),
  };
}

const ms = (x: number) => `${Math.round(x)}`.padStart(5);

function print(title: string, run: Run): void {
  console.log(`${title}: ${run.wallS.toFixed(2)} s wall, ${(run.cpuS + run.childrenCpuS).toFixed(2)} s CPU (${run.cpuS.toFixed(2)} grader + ${run.childrenCpuS.toFixed(2)} children), ${run.maxRssMb.toFixed(0)} MB peak (grader)`);
  const first = Math.min(...run.phases.map((p) => p.start), run.exitMs);
  const rows: [string, number, number][] = [['node start-up, the CLI loaded', 0, first], ...run.phases.map((p): [string, number, number] => [p.name, p.start, p.end]), ['exit', run.exitMs, run.exitMs]];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`  ${'phase'.padEnd(width)}  from ms   to ms   ms`);
  for (const [name, start, end] of rows) console.log(`  ${name.padEnd(width)}  ${ms(start)}   ${ms(end)}  ${ms(end - start)}`);
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'propgrade-profile-'));
  try {
    console.log(`fresh processes, median of ${ROUNDS}; phases overlap where they run side by side`);
    const cases: [string, string[], NodeJS.ProcessEnv?][] = [
      ['propgrade --help', ['--help']],
      ['propgrade --help, from TypeScript source (tsx)', ['--help'], { PROPGRADE_FROM_SOURCE: '1' }],
      ['propgrade grade reference (default runs, all reports)', ['grade', REFERENCE, '--seed', '1', '--out', join(dir, 'grade')]],
      ['propgrade check reference (public properties)', ['check', REFERENCE, '--seed', '1']],
    ];
    for (const [title, args, env] of cases) {
      const runs: Run[] = [];
      for (let i = 0; i < ROUNDS; i++) runs.push(await profiled(args, dir, env));
      print(title, medianRun(runs));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
