/**
 * Small bugs planted in the reference, each a mistake a student makes: the specs must fail the bug's
 * tasks at every seed. Correct alternatives (another way to mask, to write the softmax, to scale the
 * head, to form the outer product) must pass every task at every seed. The corpus grades whole
 * submissions; this pins each bug to the tasks it must fail in the reference's own text, which is
 * also what harden mutates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openInProcess } from '../../../src/sandbox/inprocess.ts';
import { runTask } from '../../../src/spec/runner.ts';
import type { LabClient } from '../../../src/sandbox/protocol.ts';
import { ATTENTION } from '../../../test/helpers/attention.ts';
import { tempDir } from '../../../test/helpers/temp.ts';

const SCALE = 'return Q.matmul(K.T).div(Math.sqrt(d));';
const MASK = 'if (mask) scores = scores.add(mask.sub(1).mul(-MASKED));';
const FUNCTION_SOFTMAX = 'const weights = softmax(scores, -1);\n  return weights.matmul(V);';
const BY_HAND_SOFTMAX = 'const weights = softmax(scores, -1);\n  const output';
const HEAD_ROWS = '(_, i) => K.at(i))';
const STRENGTH = 'Math.log(100 * n)';
const BACKWARD = '.at(i).at(j).backward();';

/** A text of the reference and what replaces it. */
type Edit = [from: string, to: string];

const FN = 'attention_function';
const GRAD = 'attention_autograd';

/** [name, the edits that plant the bug, the tasks that must fail] */
const BUGS: [string, Edit[], string[]][] = [
  ['no scaling', [[SCALE, 'return Q.matmul(K.T);']], ['attention_by_hand', FN, GRAD]],
  ['scaled by d', [[SCALE, 'return Q.matmul(K.T).div(d);']], ['attention_by_hand', FN, GRAD]],
  ['scores transposed (K Qᵀ)', [[SCALE, 'return K.matmul(Q.T).div(Math.sqrt(d));']], ['attention_by_hand', FN, GRAD]],
  ['mask ignored', [[MASK, '']], [FN]],
  ['mask inverted', [[MASK, 'if (mask) scores = scores.add(mask.mul(MASKED));']], [FN]],
  ['mask penalty too small', [['const MASKED = -1e9;', 'const MASKED = -100;']], [FN]],
  ['softmax over the queries', [[FUNCTION_SOFTMAX, 'const weights = softmax(scores, 0);\n  return weights.matmul(V);']], [FN, GRAD]],
  ['by hand, softmax over the queries', [[BY_HAND_SOFTMAX, 'const weights = softmax(scores, 0);\n  const output']], ['attention_by_hand']],
  ['scores times V', [[FUNCTION_SOFTMAX, 'const weights = softmax(scores, -1);\n  return scores.matmul(V);']], [FN, GRAD]],
  ['naive softmax', [[FUNCTION_SOFTMAX, 'const exps = scores.exp();\n  return exps.div(exps.sum(1).reshape(Q.shape[0]!, 1)).matmul(V);']], [FN, GRAD]],
  ['head attends to itself', [[HEAD_ROWS, '(_, i) => K.at(i + 1))']], ['previous_token_head']],
  ['head too weak', [[STRENGTH, 'Math.log(10 * n)']], ['previous_token_head']],
  ['gradient of the sum', [[BACKWARD, '.sum().backward();']], [GRAD]],
  ['gradient of output[j][i]', [[BACKWARD, '.at(j).at(i).backward();']], [GRAD]],
  ['gradient accumulates over calls', [['  const q = Q.detach();\n  q.requiresGrad = true;', '  const g = globalThis as any;\n  if (g.q?.shape.join() !== Q.shape.join()) { g.q = Q.detach(); g.q.requiresGrad = true; }\n  const q = g.q;']], [GRAD]],
  ['Jacobian without the outer product', [['return diag(s).sub(outer);', 'return diag(s).sub(outer.mul(0));']], ['softmax_jacobian']],
  ['Jacobian with its sign flipped', [['return diag(s).sub(outer);', 'return outer.sub(diag(s));']], ['softmax_jacobian']],
];

const ALTERNATIVES: [string, Edit[]][] = [
  ['the mask as log(mask)', [[MASK, 'if (mask) scores = scores.add(mask.log());']]],
  ['a softmax written out, less its row maximum', [[FUNCTION_SOFTMAX, 'const shifted = scores.sub(scores.max(1).reshape(Q.shape[0]!, 1));\n  const exps = shifted.exp();\n  return exps.div(exps.sum(1).reshape(Q.shape[0]!, 1)).matmul(V);']]],
  ['a stronger head', [[STRENGTH, 'Math.log(1000 * n)']]],
  ['the outer product by broadcasting', [['s.reshape(k, 1).matmul(s.reshape(1, k))', 's.reshape(k, 1).mul(s.reshape(1, k))']]],
];

const SEEDS = [1, 2, 3];
const source = readFileSync(ATTENTION.paths.reference!, 'utf8');
let dir: string;
let reference: LabClient;
beforeAll(async () => {
  dir = await tempDir('attention-catches');
  reference = await openInProcess(ATTENTION.paths.reference!, {});
});
afterAll(() => reference?.close());

/** The reference with the edits, opened in process. */
async function planted(name: string, edits: Edit[]): Promise<LabClient> {
  let text = source;
  for (const [from, to] of edits) {
    expect(text, `the reference no longer contains the text of '${name}'`).toContain(from);
    text = text.replace(from, to);
  }
  const file = join(dir, `${name.replace(/\W+/g, '-')}.ts`);
  writeFileSync(file, text);
  return openInProcess(file, {});
}

/** The oracle cross-check is off: it tests the reference (reference.test.ts), not what the specs catch. */
const passes = async (lab: LabClient, id: string, seed: number) => (await runTask(ATTENTION.task(id), lab, { seed, reference, oracle: async () => null })).passed;

describe('planted bugs fail their tasks at every seed, and only those', () => {
  test.each(BUGS)('%s', async (name, edits, tasks) => {
    const lab = await planted(name, edits);
    try {
      for (const seed of SEEDS) for (const { id } of ATTENTION.tasks) expect(await passes(lab, id, seed), `${id}, seed ${seed}`).toBe(!tasks.includes(id));
    } finally {
      await lab.close();
    }
  });
});

describe('correct alternatives pass every task', () => {
  test.each(ALTERNATIVES)('%s', async (name, edits) => {
    const lab = await planted(name, edits);
    try {
      for (const seed of SEEDS) for (const { id } of ATTENTION.tasks) expect(await passes(lab, id, seed), `${id}, seed ${seed}`).toBe(true);
    } finally {
      await lab.close();
    }
  });
});
