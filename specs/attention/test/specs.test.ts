/**
 * The attention lab's definition: the contract's tasks, exports and rules; the example's answers
 * worked out by hand agree with the grader's own arithmetic; the template declares every export as
 * its signature does and each stub says it is not done yet.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openInProcess } from '../../../src/sandbox/inprocess.ts';
import { StudentError } from '../../../src/sandbox/protocol.ts';
import { lintModule } from '../../../src/static/index.ts';
import { ATTENTION, ATTENTION_PUBLIC, attentionSubmission } from '../../../test/helpers/attention.ts';
import { tempDir } from '../../../test/helpers/temp.ts';
import { attentionOutput, attentionWeights, causalMask, scaledScores } from '../arithmetic.ts';
import * as lab from '../example.ts';
import { finiteDifferences as gradientByDifferences } from '../tasks/attention_autograd.ts';
import { finiteDifferences as jacobianByDifferences } from '../tasks/softmax_jacobian.ts';

const close = (actual: { data: Float64Array }, expected: { data: Float64Array }, tol = 1e-12) =>
  expect(Array.from(actual.data).map((x, i) => Math.abs(x - expected.data[i]!) <= tol)).toEqual(Array.from(expected.data, () => true));

describe('the tasks', () => {
  test("CONTRACT section 7's tasks and exports, in its order; the optional task scores 0", () => {
    expect(ATTENTION.tasks.map((t) => [t.id, t.exports.map((e) => e.name), t.points])).toEqual([
      ['attention_by_hand', ['attentionByHand'], 1],
      ['attention_function', ['attention'], 1],
      ['previous_token_head', ['previousTokenHead'], 1],
      ['attention_autograd', ['gradOutputWrtQ'], 1],
      ['softmax_jacobian', ['softmaxJacobian'], 0],
    ]);
  });

  test("every task checks the lab's example publicly, has generated public properties, and hidden ones that only staff load", () => {
    for (const task of ATTENTION.tasks) {
      expect(task.properties[0], task.id).toMatchObject({ id: 'lab-example', visibility: 'public', fixed: true, runs: 1 });
      expect(task.properties.some((p) => p.visibility === 'public' && !p.fixed), task.id).toBe(true);
      expect(task.properties.some((p) => p.visibility === 'hidden' && /reference/.test(p.id)), task.id).toBe(true);
      expect(ATTENTION_PUBLIC.task(task.id).properties.every((p) => p.visibility === 'public'), task.id).toBe(true);
    }
  });

  test('static rules per task: the example is never hard-coded, the gradient uses backward(), the Jacobian no autograd', () => {
    expect(Object.fromEntries(ATTENTION.tasks.map((t) => [t.id, t.rules.map((r) => r.rule)]))).toEqual({
      attention_by_hand: ['no-hardcoded-example'],
      attention_function: ['no-hardcoded-example'],
      previous_token_head: [],
      attention_autograd: ['no-hardcoded-example', 'uses-backward'],
      softmax_jacobian: ['no-hardcoded-example', 'no-autograd'],
    });
  });

  test("the signatures: attention's mask is optional, the gradient is Q's, previousTokenHead takes a size", () => {
    const byName = Object.fromEntries(ATTENTION.exports.map((e) => [e.name, e]));
    expect(byName.attention).toMatchObject({ params: { mask: { kind: 'tensor', domain: 'mask', optional: true } } });
    expect(byName.gradOutputWrtQ).toMatchObject({ returns: { kind: 'gradient', of: 'Q' } });
    expect(byName.previousTokenHead).toMatchObject({ params: { n: { kind: 'size', dim: 'n' } } });
  });
});

describe("the example's answers, worked out by hand, agree with the grader's arithmetic", () => {
  test('scores, weights, output, and the output under the causal mask', () => {
    close(lab.answers.scores, scaledScores(lab.Q, lab.K));
    close(lab.answers.weights, attentionWeights(lab.Q, lab.K));
    close(lab.answers.output, attentionOutput(lab.Q, lab.K, lab.V));
    expect(lab.mask).toEqual(causalMask(2));
    close(lab.answers.maskedOutput, attentionOutput(lab.Q, lab.K, lab.V, lab.mask));
  });

  test('the gradient and the Jacobian, against finite differences', () => {
    close(lab.answers.gradOutputWrtQ, gradientByDifferences({ ...lab, ...lab.gradient, kind: 'general', maskKind: 'none' }), 1e-8);
    close(lab.answers.softmaxJacobian, jacobianByDifferences(lab.z), 1e-8);
  });

  test('no two scores of a row tie, and no weight is 1/2 (a literal 0.5 in a submission is never the example)', () => {
    const w = Array.from(lab.answers.weights.data);
    expect(w.some((x) => Math.abs(x - 0.5) < 0.05)).toBe(false);
  });
});

describe('the template', () => {
  const template = readFileSync(ATTENTION.paths.template!, 'utf8');

  test('declares every export with the parameters of its signature, in order', () => {
    for (const e of ATTENTION.exports) {
      if (e.kind !== 'function') continue;
      const declared = new RegExp(`export function ${e.name}\\(([^)]*)\\)`).exec(template);
      expect(declared, e.name).not.toBeNull();
      const params = declared![1]!.split(',').map((p) => p.trim().split(/[?:]/)[0]);
      expect(params, e.name).toEqual(e.paramNames);
    }
  });

  test('every stub throws a "not done yet" error that names its export', async () => {
    const student = await openInProcess(ATTENTION.paths.template!, {});
    try {
      const exported = await student.exports();
      for (const e of ATTENTION.exports) {
        expect(exported[e.name], e.name).toBe('function');
        const error = await student.call(e.name, ...e.kind === 'function' ? e.args({ Q: lab.Q, K: lab.K, V: lab.V, n: 2, i: 0, j: 0, z: lab.z }) : []).catch((x: unknown) => x);
        expect(error, e.name).toBeInstanceOf(StudentError);
        expect((error as StudentError).message, e.name).toMatch(new RegExp(`not done yet.*${e.name}`));
      }
    } finally {
      await student.close();
    }
  });

  test("holds no answer: none of the example's outputs, no reference code", () => {
    expect(template).not.toMatch(/1e9|MASKED|Math\.log\(100/);
    expect(template).not.toMatch(/0\.89295|0\.66976|1\.21408|0\.93839/);
  });
});

describe('the static rules, on this lab', () => {
  /** Which rules break which tasks (a rule found at several places counts once). */
  const rulesOf = async (file: string) => [...new Set((await lintModule(file, ATTENTION.tasks)).filter((f) => f.policy === 'fail').map((f) => `${f.rule} ${f.tasks.join(',')}`))];
  const withExports = async (name: string, text: string) => {
    const file = join(await tempDir('attention-rules'), `${name}.ts`);
    writeFileSync(file, text);
    return file;
  };

  test('the reference breaks none; the template only uses-backward, since its stub calls no backward() yet', async () => {
    expect(await rulesOf(ATTENTION.paths.reference!)).toEqual([]);
    expect(await rulesOf(ATTENTION.paths.template!)).toEqual(['uses-backward attention_autograd']);
  });

  test("the example's answers written down break the task that returns them", async () => {
    expect(await rulesOf(join(attentionSubmission('by-hand-hardcoded'), 'lab.ts'))).toEqual(['no-hardcoded-example attention_by_hand']);
  });

  test('a gradient without backward() breaks attention_autograd; a Jacobian by autograd breaks softmax_jacobian', async () => {
    const reference = readFileSync(ATTENTION.paths.reference!, 'utf8');
    const byHand = reference.replace(
      /export function gradOutputWrtQ[\s\S]*?\n}\n/,
      'export function gradOutputWrtQ(Q: Tensor, K: Tensor, V: Tensor, i: number, j: number): Tensor {\n  return zeros(Q.shape[0]!, Q.shape[1]!).add(attention(Q, K, V).at(i).at(j));\n}\n',
    );
    expect(await rulesOf(await withExports('gradient-by-hand', byHand))).toEqual(['uses-backward attention_autograd']);
    const oracle = readFileSync(ATTENTION.paths.oracle!, 'utf8');
    const byAutograd = reference.replace(/export function softmaxJacobian[\s\S]*?\n}\n/, oracle.slice(oracle.indexOf('export function softmaxJacobian')));
    expect(await rulesOf(await withExports('jacobian-by-autograd', byAutograd))).toEqual(['no-autograd softmax_jacobian']);
  });
});
