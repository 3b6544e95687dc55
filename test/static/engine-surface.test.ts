/**
 * The engine as the static checks see it is the engine's own source (no hand-kept declaration), and
 * every op is registered once: its method form is derived from it (src/autograd/methods.ts).
 */
import { describe, expect, test } from 'vitest';
import * as engine from '../../src/autograd/index.ts';
import { lintSource } from '../../src/static/index.ts';

const typeErrors = (source: string) => lintSource('lab.ts', source, []).filter((f) => f.rule === 'type-error');

describe('every op is also a Tensor method, from the one definition', () => {
  const x = engine.tensor([[1, -2], [3, 4]]);
  const functions = Object.entries(engine).filter(([name, value]) => typeof value === 'function' && name === name.toLowerCase() && name in engine.Tensor.prototype);
  test('the method forms cover every op but stack (a list) and transpose (the T getter)', () => {
    const ops = ['abs', 'add', 'at', 'clamp', 'diag', 'div', 'dot', 'exp', 'expand', 'log', 'matmul', 'max', 'maximum', 'mean', 'minimum', 'mul', 'mv', 'neg', 'pow', 'prod', 'relu', 'reshape', 'sigmoid', 'softmax', 'sub', 'sum', 'tanh'];
    expect(functions.map(([name]) => name).sort()).toEqual(ops);
    expect('stack' in engine.Tensor.prototype).toBe(false);
    expect(x.T.tolist()).toEqual(engine.transpose(x).tolist());
  });
  test('x.op(...rest) is op(x, ...rest), with the op name in a stack trace', () => {
    expect(x.matmul(x).add(1).relu().sum(0).tolist()).toEqual(engine.sum(engine.relu(engine.add(engine.matmul(x, x), 1)), 0).tolist());
    expect(x.clamp({ min: 0 }).tolist()).toEqual([[1, 0], [3, 4]]);
    expect(x.reshape(4).at(-1).item()).toBe(4);
    expect(() => x.matmul(engine.tensor([1, 2, 3]))).toThrow(/matmul: shapes \[2,2\] and \[3\]/);
    expect(x.relu.name).toBe('relu');
    expect(Object.keys(x)).not.toContain('relu'); // methods are not own or enumerable data
  });
});

describe('the checks type a submission against the engine source', () => {
  test('every export and method the engine has is known, with its parameter types', () => {
    const source = [
      "import { tensor, zeros, ones, eye, diag, stack, full, noGrad, gradcheck, toDot, defineOp, formatShape, Tensor, transpose, softmax } from 'propgrade/autograd';",
      'export function f(U: Tensor): number {',
      '  const x = tensor([1, 2], { requiresGrad: true });',
      '  const y = U.matmul(x).add(1).sub(zeros(2)).mul(ones(2)).div(2).pow(2).maximum(0).minimum(9).neg().abs().exp().log().tanh().sigmoid().relu().clamp({ min: 0 });',
      '  const z = stack([y, y]).T.mv(x).dot(x).reshape(1).at(0).expand([2]).sum(0).prod().mean().max();',
      '  z.backward();',
      '  noGrad(() => softmax(transpose(eye(2)).mm, 0));',
      '  return (x.grad?.item() ?? 0) + diag(x).size + full([1], 0).item() + formatShape(U.shape).length + gradcheck((a) => a.sum(), [x]).message.length + toDot(z).length + defineOp.length;',
      '}',
    ].join('\n');
    const found = typeErrors(source);
    // The one deliberate mistake: `.mm` is not a Tensor member (torch has it; this engine does not).
    expect(found.map((f) => f.message)).toEqual([expect.stringContaining("Property 'mm' does not exist on type 'Tensor'")]);
  });
  test('a method called with the wrong operand type is a type error at its line', () => {
    const found = typeErrors("import { tensor } from 'propgrade/autograd';\nexport const f = () =>\n  tensor([1]).clamp(0);\n");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 3 });
  });
  test("the engine's internals (its Tensor's _members) are refused by name", () => {
    const found = lintSource('lab.ts', "import { tensor } from 'propgrade/autograd';\nexport const f = () => (tensor([1]) as any)['_gradBuffer'];\n", []);
    expect(found.map((f) => f.message)).toContainEqual(expect.stringContaining("'_gradBuffer' names an internal of the engine"));
  });
});
