/**
 * Small bugs planted in the reference, each a mistake a student makes: the specs must fail the bug's
 * tasks at every seed. Correct alternatives (relu instead of clamp, another slope at the kink, another
 * sigma) must pass every task at every seed. The submission corpus grades whole submissions at one
 * seed, and harden's operators test asks one kill per operator at one seed; this pins each bug to
 * the tasks it must fail, and each kink convention to passing, whatever the seed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openInProcess } from '../../../src/sandbox/inprocess.ts';
import { runTask } from '../../../src/spec/runner.ts';
import type { LabClient } from '../../../src/sandbox/protocol.ts';
import { REFERENCE_LAB, RNN, taskById } from '../../../test/helpers/rnn.ts';

const STEP = 'const h = relu(U.matmul(x).add(V.matmul(hPrev)));';
const PAIR = 'seq.at(t - 1).matmul(table).dot(seq.at(t))';

/** A text of the reference and what replaces it. */
type Edit = [from: string, to: string];

/** [name, the edits that plant the bug, the tasks that must fail] */
const BUGS: [string, Edit[], string[]][] = [
  ['second step reads x1', [['step(U, V, W, x2, first.h)', 'step(U, V, W, x1, first.h)']], ['forward_by_hand']],
  ['first step ignores h0', [['step(U, V, W, x1, h0)', 'step(U, V, W, x1, zeros(x1.shape[0]!))']], ['forward_by_hand']],
  ['no relu', [[STEP, 'const h = U.matmul(x).add(V.matmul(hPrev));']], ['forward_by_hand', 'forward_function']],
  ['U and V swapped', [[STEP, 'const h = relu(V.matmul(x).add(U.matmul(hPrev)));']], ['forward_by_hand', 'forward_function']],
  ['U transposed', [[STEP, 'const h = relu(U.T.matmul(x).add(V.matmul(hPrev)));']], ['forward_by_hand', 'forward_function']],
  ['output from the pre-activation', [['return { h, o: W.matmul(h) };', 'return { h, o: W.matmul(U.matmul(x).add(V.matmul(hPrev))) };']], ['forward_by_hand', 'forward_function']],
  ['state not carried', [['    h = next.h;\n', '']], ['forward_function']],
  ['hidden states returned', [['outputs.push(next.o);', 'outputs.push(next.h);']], ['forward_function']],
  ['last step skipped', [['t < input.shape[0]!;', 't < Math.max(1, input.shape[0]! - 1);']], ['forward_function']],
  ['state kept across calls', [['let h = zeros(dim);', 'const kept = globalThis as { h?: Tensor };\n  let h = kept.h?.shape[0] === dim ? kept.h : zeros(dim);'], ['return stack(outputs);', 'kept.h = h;\n  return stack(outputs);']], ['forward_function']],
  ['first word counted', [['let probability = tensor(1);', 'let probability = seq.at(0).matmul(table).dot(seq.at(0));']], ['bigram']],
  ['table transposed', [[PAIR, 'seq.at(t).matmul(table).dot(seq.at(t - 1))']], ['bigram']],
  ['last transition skipped', [['t < seq.shape[0]!;', 't < Math.max(1, seq.shape[0]! - 1);']], ['bigram']],
  ['sum for product', [['probability = probability.mul(transition);', 'probability = t === 1 ? transition : probability.add(transition);']], ['bigram']],
  ['two words only', [[PAIR, 'tensor(table.tolist()[seq.at(t - 1).tolist()[0] === 1 ? 0 : 1]![seq.at(t).tolist()[0] === 1 ? 0 : 1]!)']], ['bigram']],
  ['U = T, not its transpose', [['    U: table.T,', '    U: table,']], ['tiny_bigram_RNN', 'general_bigram_RNN']],
  ['state carried over', [['    V: zeros(vocabulary, vocabulary),', '    V: eye(vocabulary).mul(0.5),']], ['tiny_bigram_RNN', 'general_bigram_RNN']],
  ['first RNN cached', [['export function bigramRNN(table: Tensor) {', 'let cached: any;\nexport function bigramRNN(table: Tensor) {\n  if (cached?.U.shape[0] === table.shape[0]) return cached;\n  cached = bigramRNNOnce(table);\n  return cached;\n}\nfunction bigramRNNOnce(table: Tensor) {']], ['general_bigram_RNN']],
  ['gradient without relu', [['const h1 = relu(u.matmul(x1).add(V.matmul(h0)));', 'const h1 = u.matmul(x1).add(V.matmul(h0));']], ['automatic_diff']],
  ['gradient of the sum of h1', [['h1.at(0).backward();', 'h1.sum().backward();']], ['automatic_diff']],
  ['gradient of the last element', [['h1.at(0).backward();', 'h1.at(-1).backward();']], ['automatic_diff']],
  ['gradient accumulates over calls', [['  const u = U.detach();\n  u.requiresGrad = true;', '  const g = globalThis as any;\n  if (g.u?.shape[0] !== U.shape[0]) { g.u = U.detach(); g.u.requiresGrad = true; }\n  const u = g.u;']], ['automatic_diff']],
  ['no recursion through V', [['    gradHNext = gradZ * v;', '    gradHNext = 0;']], ['bptt_general']],
  ['target off by one', [['const gradO = 2 * (w * h[t]! - xs[t]!);', 'const gradO = 2 * (w * h[t]! - xs[t - 1]!);']], ['bptt_general']],
];

const ALTERNATIVES: [string, Edit[]][] = [
  ['relu with slope 0 at the kink', [['const h1 = relu(u.matmul(x1).add(V.matmul(h0)));', 'const h1 = u.matmul(x1).add(V.matmul(h0)).relu();']]],
  ['hand derivative with slope 1 at the kink', [['z[t - 1]! > 0 ? gradH : 0', 'z[t - 1]! >= 0 ? gradH : 0']]],
  ['sigma = relu in the bigram RNN', [['sigma: (z: Tensor) => z,', 'sigma: (z: Tensor) => z.relu(),']]],
];

const SEEDS = [1, 2, 3];
const source = readFileSync(REFERENCE_LAB, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'propgrade-catches-'));
let reference: LabClient;
beforeAll(async () => {
  reference = await openInProcess(REFERENCE_LAB, { driver: RNN.paths.driver });
});
afterAll(async () => {
  await reference?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The reference with the edits, opened in process. */
async function planted(name: string, edits: Edit[]): Promise<LabClient> {
  let text = source;
  for (const [from, to] of edits) {
    expect(text, `the reference no longer contains the text of '${name}'`).toContain(from);
    text = text.replace(from, to);
  }
  const file = join(dir, `${name.replace(/\W+/g, '-')}.ts`);
  writeFileSync(file, text);
  return openInProcess(file, { driver: RNN.paths.driver });
}

/** The oracle cross-check is off: it tests the reference (reference.test.ts), not what the specs catch. */
const passes = async (lab: LabClient, id: string, seed: number) =>
  (await runTask(taskById(id), lab, { seed, reference, oracle: async () => null, drivers: RNN.drivers })).passed;

describe('planted bugs fail their task at every seed', () => {
  test.each(BUGS)('%s', async (name, edits, tasks) => {
    const lab = await planted(name, edits);
    try {
      for (const seed of SEEDS) for (const id of tasks) expect(await passes(lab, id, seed), `${id}, seed ${seed}`).toBe(false);
    } finally {
      await lab.close();
    }
  });
});

describe('correct alternatives pass every task', () => {
  test.each(ALTERNATIVES)('%s', async (name, edits) => {
    const lab = await planted(name, edits);
    try {
      for (const seed of SEEDS) for (const { id } of RNN.tasks) expect(await passes(lab, id, seed), `${id}, seed ${seed}`).toBe(true);
    } finally {
      await lab.close();
    }
  });
});
