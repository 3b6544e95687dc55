/**
 * Is a surviving mutant really wrong? An exhaustive search over small cases, mutant against
 * reference: every one-hot sequence up to length 5 over 2 and 3 words, and small RNNs (dim 1 on a
 * dyadic grid with its kinks, dim 2 on a set of asymmetric matrices) for every export the mutant
 * touches. Gradients at a kink are judged by the subgradient rule, as the grader does. No difference
 * anywhere: the mutant is equivalent (not counted). Otherwise the first distinguishing input is a
 * to-do for staff: a property should find it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oneSidedGradients } from '../../specs/rnn/tasks/automatic_diff.ts';
import { admissibleGradU } from '../../specs/rnn/tasks/bptt_general.hidden.ts';
import { scalarPreActivations } from '../../specs/rnn/generators/rnn.ts';
import type { Lab } from '../lab/load.ts';
import { bundleSubmission } from '../sandbox/build.ts';
import { openSandboxed } from '../sandbox/process.ts';
import { isPlainTensor, StudentError, type LabClient, type Plain, type PlainTensor } from '../sandbox/protocol.ts';
import { expectFields, expectTensorClose, expectWithinInterval, type Tolerance } from '../spec/expect.ts';
import { plain } from '../spec/plain.ts';

export interface Equivalence {
  equivalent: boolean;
  /** How many cases were compared (up to the first difference). */
  cases: number;
  reason: string;
  /** The first distinguishing case: the export, its arguments, both answers. */
  difference?: { exportName: string; args: Plain[]; expected: Plain | string; actual: Plain | string };
}

/** One call to compare: an export on fixed arguments (or a bigram RNN run over a sequence). */
interface Probe {
  exportName: string;
  args: Plain[];
  rnn?: boolean;
  /** A gradient at a kink: any value between these (and the reference's) is right. */
  bounds?: Plain[];
}

/** Exact up to rounding: an equivalent rewrite may reassociate a sum. */
const TIGHT: Tolerance = { abs: 1e-12, rel: 1e-9 };

const GRID = [-1, -0.5, 0, 0.5, 1];
const MATRICES_2 = [
  [[0, 0], [0, 0]],
  [[1, 0], [0, 1]],
  [[0, 1], [0, 0]],
  [[0, 0], [1, 0]],
  [[0.5, -1], [1, 0.5]],
  [[-1, 0], [0, -1]],
].map(plain);
const VECTORS_2 = [[0, 0], [1, 0], [0, 1], [1, -1], [0.5, 1]].map(plain);
const scalarTensor = (v: number) => plain([v]);

/** Every tuple of `length` items drawn from `items`. */
function* tuples<T>(items: T[], length: number): Generator<T[]> {
  if (length === 0) return yield [];
  for (const head of items) for (const rest of tuples(items, length - 1)) yield [head, ...rest];
}

/** The small matrices and vectors of dim 1 (the grid) and dim 2. */
const smallNetworks = () => [
  { dim: 1, matrices: GRID.map((v) => plain([[v]])), vectors: GRID.map((v) => plain([v])) },
  { dim: 2, matrices: MATRICES_2, vectors: VECTORS_2 },
];

/** One-hot rows of the word sequences up to length 5. */
function* sequences(vocabulary: number): Generator<PlainTensor> {
  for (let length = 1; length <= 5; length++) {
    for (const words of tuples([...Array(vocabulary).keys()], length)) yield plain(words.map((w) => Array.from({ length: vocabulary }, (_, i) => (i === w ? 1 : 0))));
  }
}

/** Tables with zeros, asymmetric, over 2 and 3 words. */
const TABLES = [
  [[0.75, 0.25], [0.4, 0.6]],
  [[1, 0], [0.5, 0.5]],
  [[0.5, 0.25, 0.25], [0, 1, 0], [0.125, 0.375, 0.5]],
].map(plain);

/** What each export's search covers, for the report. */
const COVERS: Record<string, string> = {
  forwardByHand: 'every U, V, W, x1, x2, h0 from the dim-1 grid {-1, -1/2, 0, 1/2, 1} and from six dim-2 matrices and five vectors',
  forward: 'every U, V, W on those grids with every input sequence of 1 to 3 nonzero rows',
  sequenceProbability: 'every one-hot sequence up to length 5 over 2 and 3 words, on three tables (with zeros, asymmetric)',
  tinyBigramRNN: 'every one-hot sequence up to length 5 over the 2 words',
  bigramRNN: 'every one-hot sequence up to length 5 over 2 and 3 words, on three tables (with zeros, asymmetric)',
  gradH11WrtU: 'every U, V, x1, h0 from the dim-1 grid and the dim-2 set, kinks included, judged by the subgradient rule',
  bpttGradU: 'every scalar U, V, W, h0 in {-1, -1/2, 0, 1/2, 1} with x of length 2 to 4, kinks included, judged by the subgradient rule',
};

const PROBES: Record<string, () => Iterable<Probe>> = {
  *forwardByHand() {
    for (const { matrices, vectors } of smallNetworks())
      for (const [U, V, W] of tuples(matrices, 3)) for (const [x1, x2, h0] of tuples(vectors, 3)) yield { exportName: 'forwardByHand', args: [U!, V!, W!, x1!, x2!, h0!] };
  },
  *forward() {
    for (const { dim, matrices, vectors } of smallNetworks()) {
      const inputs = vectors.filter((v) => v.data.some((x) => x !== 0)).slice(0, 3);
      for (const [U, V, W] of tuples(matrices, 3))
        for (let n = 1; n <= 3; n++) for (const rows of tuples(inputs, n)) yield { exportName: 'forward', args: [plain(rows.map((r) => Array.from(r.data))), dim, U!, V!, W!] };
    }
  },
  *sequenceProbability() {
    for (const T of TABLES) for (const seq of sequences(T.shape[0]!)) yield { exportName: 'sequenceProbability', args: [seq, T] };
  },
  *tinyBigramRNN() {
    for (const seq of sequences(2)) yield { exportName: 'tinyBigramRNN', args: [seq], rnn: true };
  },
  *bigramRNN() {
    for (const T of TABLES) for (const seq of sequences(T.shape[0]!)) yield { exportName: 'bigramRNN', args: [seq, T], rnn: true };
  },
  *gradH11WrtU() {
    for (const { dim, matrices, vectors } of smallNetworks())
      for (const [U, V] of tuples(matrices, 2))
        for (const [x1, h0] of tuples(vectors, 2)) yield { exportName: 'gradH11WrtU', args: [U!, V!, x1!, h0!], bounds: oneSidedGradients({ dim, U: U!, V: V!, x1: x1!, h0: h0! }) };
  },
  *bpttGradU() {
    for (const [U, V, W, h0] of tuples(GRID, 4))
      for (let n = 2; n <= 4; n++)
        for (const x of tuples(n < 4 ? [-1, 0, 1] : [0, 1], n)) {
          const c = { U: U!, V: V!, W: W!, x, h0: h0! };
          const kink = scalarPreActivations(c).includes(0);
          const bounds = kink ? admissibleGradU(c) : undefined;
          yield { exportName: 'bpttGradU', args: [scalarTensor(U!), scalarTensor(V!), scalarTensor(W!), plain(x), scalarTensor(h0!)], bounds };
        }
  },
};

/** The exports graded by `tasks`. */
const exportsOf = (lab: Lab, tasks: string[]) => lab.tasks.filter((t) => tasks.includes(t.id)).flatMap((t) => t.exports.map((e) => e.name));

type Answer = { value: Plain } | { error: string; crashed?: true };

async function answer(lab: LabClient, probe: Probe): Promise<Answer> {
  try {
    const [seq, table] = probe.args as [PlainTensor, PlainTensor?];
    return { value: probe.rnn ? await lab.drive('runBigramRNN', probe.exportName, seq, ...(table ? [table] : [])) : await lab.call(probe.exportName, ...probe.args) };
  } catch (error) {
    const crashed = error instanceof StudentError && error.kind === 'crashed' ? { crashed: true as const } : {};
    return { error: error instanceof Error ? error.message : String(error), ...crashed };
  }
}

/** Throws a Mismatch when `actual` is not `expected` (fields of an object one by one). */
function compare(actual: Plain, expected: Plain, what: string): void {
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected) && !isPlainTensor(expected)) {
    const fields = expectFields(actual, Object.keys(expected), what);
    for (const [name, value] of Object.entries(expected)) compare(fields[name]!, value, `${what}.${name}`);
  } else expectTensorClose(actual, expected, { what, tol: TIGHT });
}

/** Whether the mutant's answer differs from the reference's (both failing counts as the same). */
function differs(probe: Probe, expected: Answer, actual: Answer): boolean {
  if ('error' in expected || 'error' in actual) return !('error' in expected && 'error' in actual);
  try {
    if (probe.bounds) expectWithinInterval(actual.value, [expected.value, ...probe.bounds], { what: probe.exportName, tol: TIGHT });
    else compare(actual.value, expected.value, probe.exportName);
    return false;
  } catch {
    return true;
  }
}

/** Compares `mutant` (a lab.ts text, run in the sandbox) with the reference on every small case of the exports of `tasks`. */
export async function searchDifference(definition: Lab, mutant: string, tasks: string[], reference: LabClient): Promise<Equivalence> {
  const exportNames = exportsOf(definition, tasks);
  const dir = await mkdtemp(join(tmpdir(), 'propgrade-equivalence-'));
  await writeFile(join(dir, definition.submission), mutant);
  const bundle = await bundleSubmission(join(dir, definition.submission), { entry: 'child', driver: definition.paths.driver });
  const lab = await openSandboxed(bundle, { callTimeoutMs: 5000 });
  let cases = 0;
  try {
    for (const exportName of exportNames) {
      for (const probe of PROBES[exportName]!()) {
        cases++;
        const expected = await answer(reference, probe);
        let actual = await answer(lab, probe);
        // The sandbox's process may die of a long search's wear (limits per process); a fresh one answers again.
        if ('crashed' in actual) actual = await answer(lab, probe);
        if (differs(probe, expected, actual)) {
          const shown = (a: Answer) => ('error' in a ? `error: ${a.error}` : a.value);
          return {
            equivalent: false,
            cases,
            reason: `${exportName} differs from the reference on a small case: no property found it`,
            difference: { exportName, args: probe.args, expected: shown(expected), actual: shown(actual) },
          };
        }
      }
    }
  } finally {
    await lab.close();
    await bundle.remove();
    await rm(dir, { recursive: true, force: true });
  }
  return {
    equivalent: true,
    cases,
    reason: `no difference from the reference on ${cases} small cases: ${exportNames.map((name) => `${name}: ${COVERS[name]}`).join('; ')}`,
  };
}
