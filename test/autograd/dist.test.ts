// Students import the built engine (dist/autograd.js, made by test/global-setup.ts) under plain Node.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it("plain Node imports 'propgrade/autograd' and computes the notebook's gradient", () => {
  const script = `
    const { tensor, zeros, relu } = await import('propgrade/autograd');
    const U = tensor([[-0.3, 0.6], [0.2, 0.1]], { requiresGrad: true });
    const h1 = relu(U.matmul(tensor([0, 1])).add(tensor([[0.4, 0.4], [0.9, -0.7]]).matmul(zeros(2))));
    h1.at(0).backward();
    console.log(JSON.stringify({ h1: h1.tolist(), grad: U.grad.tolist() }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ h1: [0.6, 0.1], grad: [[0, 1], [0, 0]] });
});

it('the bundle imports nothing: it runs anywhere', () => {
  const bundle = readFileSync(`${root}dist/autograd.js`, 'utf8');
  expect(bundle).not.toMatch(/^\s*import\s/m);
  expect(bundle).not.toMatch(/require\(|from ['"]node:/);
});
