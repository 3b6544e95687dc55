/**
 * The grading pipeline: lab.ts -> static checks -> build -> sandboxed process -> every task's spec
 * against it, the reference in process -> a GradeReport. Whatever the submission does, every task
 * gets an outcome that says why it scored what it did: a missing file, a syntax error, a refused
 * import, a static finding, a crash or a timeout breaks only what it touches, and a fault of the
 * grader in one task never loses the others.
 */
import libCoverage, { type FileCoverage } from 'istanbul-lib-coverage';
import { rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { loadConfig } from '../config/config.ts';
import { configuredLab, loadLab, type Lab } from '../lab/load.ts';
import { BuildError, bundleFolder, bundleSubmission, type Bundle } from '../sandbox/build.ts';
import { openShared } from '../sandbox/inprocess.ts';
import { openAhead, openSandboxed, type SandboxAhead, type SandboxedLab, type SandboxOptions } from '../sandbox/process.ts';
import { BudgetExceeded, withinBudget } from '../sandbox/budget.ts';
import type { LabClient } from '../sandbox/protocol.ts';
import { openLabOracle, type Oracle } from '../spec/oracle.ts';
import { apportion, runTask, type ProgressEvent } from '../spec/runner.ts';
import { declaredType } from '../spec/signature.ts';
import type { PropertySpec, TaskSpec } from '../spec/types.ts';
import { describeFinding } from '../reports/explain.ts';
import { writtenAnswers } from './answers.ts';
import { CoverageProbe } from './coverage.ts';
import { locateLab } from '../submission.ts';
import { admitReport, admitTask } from '../model/admit.ts';
import { phase } from './phase.ts';
import type { Finding, GradeReport, PropertyOutcome, TaskBreak, TaskOutcome } from '../model/report.ts';
import { gradingSecret, hmacSeed } from './seed.ts';

export interface GradeOptions {
  /** The lab: its folder, or one already loaded (default: the bundled RNN lab, specs/rnn). */
  lab?: string | Lab;
  /** Pins the run; without it the seed is an HMAC of the secret and lab.ts (seed.ts). */
  seed?: number;
  /** Overrides every generated property's number of cases. */
  runs?: number;
  /** The HMAC key (default: gradingSecret()). */
  secret?: string;
  /** `public`: the student's local check; `all` (default): grading. */
  visibility?: 'all' | 'public';
  /** One task, or one property of it, or one case (`path`) of that property: a replay. */
  only?: { task: string; property?: string; path?: string };
  /**
   * Cross-checks the reference against the TensorFlow.js oracle on each property's first cases
   * (default true). The student's local `check` turns it off: loading TensorFlow.js costs more
   * than the check itself, and grading still does it.
   */
  crossCheck?: boolean;
  /** Shrinks each failing property's counterexample (default true; harden, which reads no counterexample, turns it off). */
  shrink?: boolean;
  /** Sandbox layers grading may not run without (default: the config's requireLayers when grading, none for a local check). */
  requireLayers?: readonly string[];
  /** Collects coverage of lab.ts and writes its report (coverage-final.json, index.html) here. */
  coverageDir?: string;
  /** A sandbox booted ahead (openSandboxAhead, with the same visibility and layers): this grade uses it, or discards it. */
  sandbox?: SandboxAhead;
  onProgress?: (event: GradeEvent) => void;
}

export type GradeEvent = { kind: 'findings'; findings: Finding[] } | ProgressEvent;

const shellWord = (word: string) => (/^[\w./:@=+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * The exact command that replays one failing case (public properties through `check`, hidden ones
 * with `--hidden`); `lab` is the lab's folder as the reader should pass it (none: the default lab).
 */
export function replayCommand(submission: string, task: string, property: string, seed: number, path: string, hidden = false, lab?: string): string {
  const labOption = lab === undefined ? '' : ` --lab ${shellWord(lab)}`;
  return `npx propgrade check ${shellWord(submission)}${labOption} --task ${task} --property ${property} --seed ${seed} --path ${path}${hidden ? ' --hidden' : ''}`;
}

/** The lab of a run, loaded with its hidden properties unless only public ones run. */
export async function labOf(options: Pick<GradeOptions, 'lab' | 'visibility'>): Promise<Lab> {
  if (typeof options.lab === 'object') return options.lab;
  const dir = options.lab ?? configuredLab();
  return phase('lab', () => loadLab(dir, { hidden: options.visibility !== 'public' }));
}

type Selection = Pick<GradeOptions, 'only' | 'visibility'>;

/** Whether a run covers property `p` (the runner applies the same choice to the tasks it runs). */
const covers = (options: Selection, p: PropertySpec) =>
  (options.visibility !== 'public' || p.visibility === 'public') && (options.only?.property === undefined || p.id === options.only.property);

/** Asked for a task that does not exist, or a property its task does not have (a command line makes it a usage error). */
export class SelectionError extends Error {
  override name = 'SelectionError';
}

/** The tasks a run covers. A SelectionError for an unknown task, or a property the task does not have. */
export function selectTasks(lab: Lab, options: Selection): TaskSpec[] {
  const tasks = options.only ? lab.tasks.filter((t) => t.id === options.only!.task) : lab.tasks;
  if (tasks.length === 0) throw new SelectionError(`unknown task '${options.only!.task}' (tasks of lab ${lab.id}: ${lab.tasks.map((t) => t.id).join(', ')})`);
  if (options.only?.property !== undefined && !tasks[0]!.properties.some((p) => covers(options, p))) {
    const known = tasks[0]!.properties.filter((p) => covers({ visibility: options.visibility }, p)).map((p) => p.id);
    throw new SelectionError(`task '${tasks[0]!.id}' has no ${options.visibility === 'public' ? 'public ' : ''}property '${options.only.property}' (it has: ${known.join(', ')})`);
  }
  return tasks;
}

/** The sandbox's settings for a run: the config's limits, and its layers when grading. */
function sandboxOptions(options: Pick<GradeOptions, 'visibility' | 'requireLayers'>): SandboxOptions {
  const { callTimeoutMs, heapMb, requireLayers } = loadConfig().settings;
  // The course's minimum binds grading; a student's local check runs with what the laptop has.
  const required = options.requireLayers ?? (options.visibility === 'public' ? undefined : requireLayers);
  return { callTimeoutMs, limits: { heapMb }, requireLayers: required };
}

/** A sandbox for the next grade with these options, its child booting now (GradeOptions.sandbox). */
export const openSandboxAhead = (options: Pick<GradeOptions, 'visibility' | 'requireLayers'>): Promise<SandboxAhead> => openAhead(sandboxOptions(options));

export async function gradeSubmission(submission: string, options: GradeOptions = {}): Promise<GradeReport> {
  try {
    return await grade(submission, options);
  } finally {
    await options.sandbox?.discard(); // nothing when the grade took it
  }
}

async function grade(submission: string, options: GradeOptions): Promise<GradeReport> {
  const started = performance.now();
  const definition = await labOf(options);
  const specs = selectTasks(definition, options);
  const lab = await locateLab(submission, definition.submission);
  const source = 'file' in lab ? lab.source : Buffer.alloc(0);
  const report: GradeReport = {
    submission,
    lab: definition.id,
    seed: options.seed ?? hmacSeed(options.secret ?? gradingSecret(), source),
    seedSource: options.seed === undefined ? 'hmac' : 'flag',
    startedAt: new Date().toISOString(),
    durationMs: 0,
    tasks: [],
    findings: [],
    sandboxLayers: [],
    studentOutput: '',
    graderFaults: [],
  };
  if ('file' in lab) report.file = lab.file;
  if (definition.questions.length > 0) report.answers = writtenAnswers(source.toString('utf8'), definition.questions);
  if ('missing' in lab) {
    report.tasks = specs.map((spec) => notGraded(spec, { kind: 'build', message: lab.missing }, report.seed, options));
  } else {
    // The build and the sandbox start while the static checks run (ts-morph is slow to load).
    const session = openSession(definition, lab.file, source, report, options);
    report.findings = await phase('static checks', () => staticFindings(lab.file, lab.source, specs, report));
    options.onProgress?.({ kind: 'findings', findings: report.findings });
    report.tasks = await runSpecs(submission, source.toString('utf8'), definition, specs, session, report, options);
  }
  report.durationMs = Math.round(performance.now() - started);
  return admitReport(report);
}

/**
 * The static checks' budget: a lab module lints in about a second, so this leaves room for a machine
 * loaded many times over; a hostile one is stopped here (the clock starts once ts-morph is loaded).
 */
export const STATIC_BUDGET = { what: 'the static checks', timeoutMs: 60_000, heapMb: 768 };

async function staticFindings(file: string, source: Buffer, specs: TaskSpec[], report: GradeReport): Promise<Finding[]> {
  const shown = relative(process.cwd(), file) || file;
  const tasks = specs.map((s) => ({ id: s.id, exports: s.exports.map((e) => ({ name: e.name, declared: declaredType(e) })), rules: s.rules }));
  try {
    return await withinBudget<Finding[]>(new URL('../static/index.ts', import.meta.url), 'lintSource', [shown, source.toString('utf8'), tasks], STATIC_BUDGET);
  } catch (error) {
    // Over budget is the module's doing: every task fails, saying why.
    if (error instanceof BudgetExceeded) {
      return [{ rule: 'syntax', policy: 'fail', tasks: [], file: shown, line: 1, column: 1, message: `${error.message}; a module they cannot read in that time is not graded. Simplify the module.` }];
    }
    report.graderFaults!.push(`static checks failed, tasks graded without them: ${describe(error)}`);
    return [];
  }
}

/** The findings that concern a task (an empty `tasks` means every task). */
const findingsOf = (findings: Finding[], task: string) => findings.filter((f) => f.tasks.length === 0 || f.tasks.includes(task));

/** A `fail` finding breaks its tasks: each says where, which rule and what to change. */
function staticBreak(findings: Finding[]): TaskBreak | undefined {
  const failing = findings.filter((f) => f.policy === 'fail');
  if (failing.length === 0) return undefined;
  // The finding first: summaries show a break's first line.
  const checks = failing.length === 1 ? 'this static check passes' : 'these static checks pass';
  return { kind: 'static', message: `${failing.map(describeFinding).join('\n')}\nThis task runs once ${checks}.` };
}

async function runSpecs(submission: string, source: string, lab: Lab, specs: TaskSpec[], opening: Promise<Session>, report: GradeReport, options: GradeOptions): Promise<TaskOutcome[]> {
  const session = await opening;
  const coverage = new Map<string, FileCoverage>();
  const outcomes: TaskOutcome[] = [];
  for (const spec of specs) {
    const findings = findingsOf(report.findings, spec.id);
    const broken = staticBreak(findings) ?? ('broken' in session ? session.broken : undefined);
    let outcome: TaskOutcome;
    if (broken || 'broken' in session) outcome = notGraded(spec, broken!, report.seed, options);
    else {
      outcome = await phase(`task ${spec.id}`, () => gradeTask(submission, lab, spec, session, report, options));
      // After a timeout or a crash the process is gone with its counts: asking would only start another.
      const gone = outcome.broken?.kind === 'timeout' || outcome.broken?.kind === 'crash';
      const covered = gone ? undefined : await session.probe?.read(session.student);
      if (covered) coverage.set(spec.id, covered);
    }
    outcome.findings = findings;
    // Admitted as it is made: a submission's huge strings never pile up across tasks.
    outcomes.push(admitTask(outcome));
  }
  if (!('broken' in session)) {
    if (options.visibility !== 'public') report.graphs = await phase('graphs', () => studentGraphs(lab, session.student, outcomes));
    await Promise.allSettled([session.student.close(), session.reference?.close(), session.closeOracle()]);
    report.sandboxLayers = session.student.layers;
    report.callLimit = session.student.callLimit;
    if (session.student.refused.length > 0) report.sandboxRefused = session.student.refused;
    report.studentOutput = session.student.output();
    await session.bundle.remove();
    if (options.coverageDir && coverage.size > 0) report.coverage = await phase('coverage report', () => writeRunCoverage(coverage, options.coverageDir!, source));
    // Not a grader fault: a submission that crashes every task leaves no counts, and must not escape its grade that way.
    else if (options.coverageDir && outcomes.some((t) => t.properties.some((p) => p.runs > 0))) report.coverageMissing = session.noCoverage ?? 'no task left counts';
  }
  return outcomes;
}

type Session =
  | { student: SandboxedLab; reference?: LabClient; oracle: Oracle; closeOracle(): Promise<void>; bundle: Bundle; probe?: CoverageProbe; noCoverage?: string }
  | { broken: TaskBreak };

/**
 * The student's bundle in the sandbox (instrumented for coverage when asked) and, when hidden
 * properties run, the reference in process. Never rejects: a build error breaks every task with the
 * compiler's words, and anything else that goes wrong here is a grader fault that breaks every task
 * with a generic message.
 */
async function openSession(lab: Lab, file: string, source: Buffer, report: GradeReport, options: GradeOptions): Promise<Session> {
  let noCoverage: string | undefined;
  let dir: string | undefined;
  let building: Promise<{ bundle: Bundle; probe?: CoverageProbe }> | undefined;
  let student: SandboxedLab | undefined;
  let reference: LabClient | undefined;
  let labOracle: { oracle: Oracle; close(): Promise<void> } | undefined;
  const driver = lab.paths.driver;
  try {
    const useAhead = options.sandbox?.take();
    const folder = (dir = useAhead ? options.sandbox!.dir : await bundleFolder());
    building = (async () => {
      const probe = options.coverageDir
        ? await phase('instrument', () => CoverageProbe.create(file, source.toString('utf8'))).catch((error: unknown) => {
            noCoverage = `${lab.submission} could not be instrumented: ${describe(error)}`;
            return undefined;
          })
        : undefined;
      return phase('build', () => buildStudent(file, source.toString('utf8'), probe, driver, folder));
    })();
    // The child boots while the submission builds (or booted before, ahead); it is asked for its exports (its module loads) once the bundle is there, while the static checks still run.
    const built = building.then((done) => done.bundle);
    const opened = (student = useAhead ? useAhead(built) : await openSandboxed({ dir, built }, sandboxOptions(options)));
    void phase('sandbox start', () => opened.exports()).catch(() => undefined);
    const { bundle, probe } = await building;
    if (options.coverageDir && !probe) noCoverage ??= `the instrumented ${lab.submission} did not build (the original did)`;
    if (options.visibility !== 'public') {
      if (!lab.paths.reference) throw new Error(`lab '${lab.id}' has no reference solution at ${lab.definition.reference}: hidden properties cannot run`);
      reference = await phase('reference', () => openShared(lab.paths.reference!, { driver }));
      if (options.crossCheck !== false) labOracle = await phase('oracle', () => openLabOracle(lab));
    }
    const { oracle, close: closeOracle } = labOracle ?? { oracle: trustTheReference, close: async () => {} };
    return { student, reference, oracle, closeOracle, bundle, probe, noCoverage };
  } catch (error) {
    // The build writes into the folder: it ends before the folder goes.
    await building?.catch(() => undefined);
    await Promise.allSettled([student?.close(), reference?.close(), labOracle?.close()]);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    if (error instanceof BuildError) return { broken: { kind: 'build', message: `${lab.submission} could not be built:\n${error.message}` } };
    report.graderFaults!.push(`could not start grading: ${describe(error)}`);
    return { broken: { kind: 'grader-fault', message: 'The grader could not start; this is not your fault and staff have the details.' } };
  }
}

/** Builds the instrumented copy when there is one, else (or when it does not build) the submission itself, whose errors the student can read. */
async function buildStudent(file: string, source: string, probe: CoverageProbe | undefined, driver: string | undefined, dir: string): Promise<{ bundle: Bundle; probe?: CoverageProbe }> {
  if (probe) {
    try {
      return { bundle: await bundleSubmission(probe.instrumented, { entry: 'child', driver, dir }), probe };
    } catch (error) {
      if (!(error instanceof BuildError)) throw error;
    } finally {
      await probe.remove();
    }
  }
  return { bundle: await bundleSubmission(file, { entry: 'child', driver, source, dir }) };
}

/**
 * Writes the run's coverage report; each task's percentages are its own reads, the total their sum.
 * The reporters load here only: a student's check (and the student kit) never collects coverage.
 */
async function writeRunCoverage(perTask: Map<string, FileCoverage>, dir: string, source: string): Promise<GradeReport['coverage']> {
  const { percentages, writeCoverage } = await import('../reports/coverage.ts');
  const shares = Object.fromEntries([...perTask].map(([task, covered]) => [task, percentages(covered)]));
  const map = libCoverage.createCoverageMap({});
  // A copy each: adding to a map merges into the first FileCoverage's own counts.
  for (const covered of perTask.values()) map.addFileCoverage(structuredClone(covered.data));
  // The report shows the text the grader read (src/submission.ts), under the path the counts name.
  const sources = new Map(map.files().map((path) => [path, source]));
  return { ...writeCoverage(map, dir, sources), perTask: shares };
}

async function gradeTask(
  submission: string,
  lab: Lab,
  spec: TaskSpec,
  session: Extract<Session, { student: SandboxedLab }>,
  report: GradeReport,
  options: GradeOptions,
): Promise<TaskOutcome> {
  const hidden = (property: string) => spec.properties.find((p) => p.id === property)?.visibility === 'hidden';
  const labOption = lab.dir === configuredLab() ? undefined : relative(process.cwd(), lab.dir) || '.';
  try {
    return await runTask(spec, session.student, {
      seed: report.seed,
      reference: session.reference,
      visibility: options.visibility,
      runs: options.runs ?? loadConfig().settings.runs,
      only: options.only?.property === undefined ? undefined : { property: options.only.property, path: options.only.path },
      replay: (task, property, seed, path) => replayCommand(submission, task, property, seed, path, hidden(property), labOption),
      onProgress: options.onProgress,
      oracle: session.oracle,
      drivers: lab.drivers,
      shrink: options.shrink,
    });
  } catch (error) {
    report.graderFaults!.push(`task ${spec.id}: ${describe(error)}`);
    const message = `The grader itself failed on task ${spec.id}; this is not your fault and staff have the details.`;
    return notGraded(spec, { kind: 'grader-fault', message }, report.seed, options);
  }
}

const trustTheReference = async () => null;

/** A DOT text longer than this is not a forward pass on the notebook's example: it is dropped. */
const MAX_DOT = 100_000;

/** The student's computation graphs the lab asks the HTML report to draw, as DOT. */
async function studentGraphs(lab: Lab, student: LabClient, outcomes: TaskOutcome[]): Promise<GradeReport['graphs']> {
  const { graphCall } = await import('../reports/html/graphs.ts');
  const graphs: GradeReport['graphs'] = {};
  for (const view of lab.graphs) {
    if (!outcomes.some((t) => t.task === view.task && !t.broken)) continue;
    const call = graphCall(view);
    const dot = await student.graph(call.exportName, call.args, call.argNames).catch(() => undefined);
    if (dot !== undefined && dot.length <= MAX_DOT) graphs[view.task] = dot;
  }
  return graphs;
}

/** A task that could not run: every property it covers scores 0 and says why (results.json keeps an entry each). */
function notGraded(spec: TaskSpec, broken: TaskBreak, seed: number, options: Selection): TaskOutcome {
  const shares = apportion(spec.points, spec.properties.map((p) => p.weight ?? 1));
  const property = (p: PropertySpec, i: number): PropertyOutcome => ({
    task: spec.id,
    property: p.id,
    title: p.title,
    visibility: p.visibility,
    passed: false,
    maxScore: shares[i]!,
    score: 0,
    runs: 0,
    message: `Not run: ${broken.message}`,
    staff: { seed },
    durationMs: 0,
  });
  return {
    task: spec.id,
    title: spec.title,
    exports: spec.exports.map((e) => e.name),
    maxScore: spec.points,
    score: 0,
    passed: false,
    broken,
    findings: [],
    properties: spec.properties.map(property).filter((_, i) => covers(options, spec.properties[i]!)),
    graderBugs: [],
  };
}

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));
