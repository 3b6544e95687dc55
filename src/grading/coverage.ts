/**
 * Coverage of the student's lab.ts by the grading run, per task.
 *
 * V8's own coverage cannot leave the sandbox: under Node 20's permission model NODE_V8_COVERAGE
 * writes nothing (not even with --allow-fs-write), the inspector is refused, and the rlimits allow
 * no file writes at all. So lab.ts is instrumented instead (istanbul, the TypeScript parsed as is:
 * positions are the student's own), and the counters come back over the ordinary protocol, through
 * one extra export. The student's code can tamper with its counters: only the counts are taken
 * from the sandbox, checked against the structure the grader made, so a forgery can lie about
 * coverage (a staff diagnostic) and nothing else.
 */
import libCoverage, { type FileCoverage, type FileCoverageData } from 'istanbul-lib-coverage';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SandboxedLab } from '../sandbox/process.ts';
import { isPlainTensor, type Plain } from '../sandbox/protocol.ts';

const VARIABLE = '__propgrade_coverage__';
/** The export the instrumented module gains: its counters as plain data. */
const COVERAGE_EXPORT = '__propgradeCoverage';

type Counts = Pick<FileCoverageData, 's' | 'f' | 'b'>;

/** What the probe reads counters from: the sandboxed lab, which tells how many processes it started. */
export type CountedLab = Pick<SandboxedLab, 'call' | 'starts'>;

export class CoverageProbe {
  private previous: Counts | undefined;
  private starts = 0;

  private constructor(
    /** The instrumented copy of lab.ts, alone in its folder: build this instead of the original. */
    readonly instrumented: string,
    private readonly skeleton: FileCoverageData,
  ) {}

  /** Instruments `labFile`. Throws when istanbul cannot parse it (the build then reports why). */
  static async create(labFile: string, source: string): Promise<CoverageProbe> {
    const path = resolve(labFile);
    // Loaded only when coverage is asked for: babel takes the best part of a second to load.
    const { createInstrumenter } = await import('istanbul-lib-instrument');
    const instrumenter = createInstrumenter({
      esModules: true,
      parserPlugins: ['typescript'],
      coverageVariable: VARIABLE,
      // The sandbox forbids code from strings: istanbul's default finds the global with `new Function`.
      coverageGlobalScope: 'globalThis',
      coverageGlobalScopeFunc: false,
      preserveComments: true,
      compact: false,
      // Mapped back to the student's lines: esbuild composes this map into the bundle's, so a stack thrown
      // in the instrumented copy reads as lab.ts:LINE:COL (src/sandbox/frames.ts).
      produceSourceMap: true,
    });
    const code = instrumenter.instrumentSync(source, path);
    // Last in the file, where esbuild looks for it (it composes it into the bundle's map).
    const map = `//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(instrumenter.lastSourceMap())).toString('base64')}\n`;
    const reader =
      `\nexport function ${COVERAGE_EXPORT}() {\n` +
      `  const c = (globalThis as any).${VARIABLE}?.[${JSON.stringify(path)}];\n` +
      `  return c ? { s: c.s, f: c.f, b: c.b } : null;\n}\n`;
    const dir = await mkdtemp(join(tmpdir(), 'propgrade-instrumented-'));
    const instrumented = join(dir, 'lab.ts');
    await writeFile(instrumented, code + reader + map);
    return new CoverageProbe(instrumented, instrumenter.lastFileCoverage());
  }

  /**
   * The coverage since the previous read. After a restart (a crash, a timeout) the counters start
   * again from zero in the new process: the dead process's counts since the last read are lost.
   * Undefined when the counters cannot be read or are not what the grader laid out.
   */
  async read(lab: CountedLab): Promise<FileCoverage | undefined> {
    let raw: Plain;
    try {
      raw = await lab.call(COVERAGE_EXPORT);
    } catch {
      return undefined;
    }
    const counts = this.checked(raw);
    if (!counts) return undefined;
    const restarted = lab.starts !== this.starts;
    this.starts = lab.starts;
    const since = restarted || !this.previous ? counts : subtract(counts, this.previous);
    this.previous = counts;
    return libCoverage.createFileCoverage({ ...this.skeleton, ...since });
  }

  remove(): Promise<void> {
    return rm(join(this.instrumented, '..'), { recursive: true, force: true });
  }

  /** The counters, when every id of the skeleton maps to a count of the right arity (extra keys are dropped). */
  private checked(raw: Plain): Counts | undefined {
    if (!isRecord(raw) || !isRecord(raw.s) || !isRecord(raw.f) || !isRecord(raw.b)) return undefined;
    const { s, f, b } = raw;
    const count = (v: Plain | undefined): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
    const pick = (from: Record<string, Plain>, ids: string[]) => (ids.every((id) => count(from[id])) ? Object.fromEntries(ids.map((id) => [id, from[id] as number])) : undefined);
    const statements = pick(s, Object.keys(this.skeleton.s));
    const functions = pick(f, Object.keys(this.skeleton.f));
    const branches = Object.entries(this.skeleton.b).map(([id, arms]) => {
      const got = b[id];
      return Array.isArray(got) && got.length === arms.length && got.every(count) ? [id, got as number[]] : undefined;
    });
    if (!statements || !functions || branches.some((e) => e === undefined)) return undefined;
    return { s: statements, f: functions, b: Object.fromEntries(branches as [string, number[]][]) };
  }
}

const isRecord = (v: Plain | undefined): v is Record<string, Plain> => typeof v === 'object' && v !== null && !Array.isArray(v) && !isPlainTensor(v);

function subtract(now: Counts, before: Counts): Counts {
  const minus = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.entries(a).map(([id, n]) => [id, Math.max(0, n - (b[id] ?? 0))]));
  const b = Object.fromEntries(Object.entries(now.b).map(([id, arms]) => [id, arms.map((n, i) => Math.max(0, n - (before.b[id]?.[i] ?? 0)))]));
  return { s: minus(now.s, before.s), f: minus(now.f, before.f), b };
}
