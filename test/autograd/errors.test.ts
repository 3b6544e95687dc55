// Every misuse throws an Error that names the op and the shapes.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/autograd/index.ts';
import { Tensor, defineOp, tensor } from '../../src/autograd/index.ts';

const m23 = () => tensor([[1, 2, 3], [4, 5, 6]]);

describe('errors', () => {
  it.each([
    ['matmul', () => ag.matmul(m23(), tensor([1, 2])), 'matmul: shapes [2,3] and [2] do not align'],
    ['matmul 0-D', () => ag.matmul(tensor(1), tensor([1])), 'matmul: operands must be 1-D or 2-D; got shapes [] and [1]'],
    ['mv', () => ag.mv(tensor([1, 2]), tensor([1, 2])), 'mv: expects a 2-D matrix and a 1-D vector; got shapes [2] and [2]'],
    ['mv align', () => ag.mv(m23(), tensor([1, 2])), 'mv: shapes [2,3] and [2] do not align'],
    ['dot', () => ag.dot(tensor([1, 2]), tensor([1, 2, 3])), 'dot: shapes [2] and [3] do not align'],
    ['dot rank', () => ag.dot(m23(), tensor([1, 2, 3])), 'dot: expects two 1-D tensors; got shapes [2,3] and [3]'],
    ['add', () => ag.add(m23(), tensor([[1, 2], [3, 4], [5, 6]])), 'add: shapes [2,3] and [3,2] cannot broadcast'],
    ['mul', () => ag.mul(tensor([1, 2]), tensor([1, 2, 3])), 'mul: shapes [2] and [3] cannot broadcast'],
    ['add string', () => ag.add(m23(), 'x' as never), 'add: argument 2 must be a Tensor or a number, got string'],
    ['relu array', () => ag.relu([1, 2] as never), 'relu: argument 1 must be a Tensor, got an array'],
    ['ragged', () => tensor([[1, 2], [3]]), 'tensor: ragged nested array at index 1'],
    ['not a number', () => tensor([[1, 'a' as never]]), 'tensor: expected a number at index [0,1], got string'],
    ['item', () => tensor([1, 2]).item(), 'item: tensor of shape [2] has 2 elements, not one'],
    ['implicit backward', () => tensor([1, 2], { requiresGrad: true }).mul(2).backward(), 'backward: implicit gradient only for a one-element tensor; got shape [2]'],
    ['backward shape', () => tensor([1, 2], { requiresGrad: true }).mul(2).backward(tensor([1, 2, 3])), 'backward: gradient of shape [3] does not match tensor of shape [2]'],
    ['at', () => tensor([1, 2]).at(5), 'at: index 5 out of range for dimension 0 of size 2'],
    ['at negative', () => tensor([1, 2]).at(-3), 'at: index -3 out of range for dimension 0 of size 2'],
    ['at fraction', () => tensor([1, 2]).at(0.5), 'at: index 0.5 out of range'],
    ['at scalar', () => tensor(1).at(0), 'at: cannot index a tensor of shape []'],
    ['sum dim', () => m23().sum(2), 'sum: dim 2 out of range for shape [2,3]'],
    ['prod dim', () => m23().prod(-3), 'prod: dim -3 out of range for shape [2,3]'],
    ['max empty', () => ag.zeros(2, 0).max(1), 'max: cannot reduce an empty dimension of shape [2,0]'],
    ['softmax dim', () => m23().softmax(5), 'softmax: dim 5 out of range for shape [2,3]'],
    ['reshape', () => m23().reshape(4), 'reshape: cannot reshape [2,3] into [4]: 6 elements'],
    ['reshape two -1', () => m23().reshape(-1, -1), 'reshape: cannot reshape [2,3] into [-1,-1]'],
    ['stack', () => ag.stack([tensor([1]), tensor([1, 2])]), 'stack: all tensors need one shape; tensor 0 has shape [1], tensor 1 has [2]'],
    ['stack empty', () => ag.stack([]), 'stack: expects a non-empty array of tensors'],
    ['clamp', () => tensor([1]).clamp({}), 'clamp: give at least one of min and max'],
    ['expand', () => ag.expand(m23(), [3]), 'expand: shape [2,3] cannot broadcast to [3]'],
    ['expand size', () => ag.expand(tensor([1, 2]), [2, 3]), 'expand: shape [2] cannot broadcast to [2,3]'],
    ['grad shape', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      x.grad = tensor([0]);
      x.sum().backward();
    }, 'backward: a leaf of shape [2] has a grad of shape [1]'],
    ['clamp bound', () => tensor([1]).clamp({ min: '0' as never }), 'clamp: min and max must be numbers'],
    ['gradcheck', () => ag.gradcheck(() => 1 as never, [tensor(1)]), 'gradcheck: fn must return a Tensor'],
    ['toDot', () => ag.toDot([1] as never), 'toDot: root must be a Tensor'],
    ['zeros', () => ag.zeros(2, -1), 'zeros: invalid shape [2,-1]'],
    ['eye', () => ag.eye(1.5), 'eye: invalid shape [1.5]'],
    ['T', () => ag.zeros(2, 2, 2).T, 'T: expects at most 2 dimensions, got shape [2,2,2]'],
    ['diag', () => ag.diag(tensor(1)), 'diag: expects a 1-D or 2-D tensor, got shape []'],
    ['Tensor', () => new Tensor(new Float64Array(3), [2, 2]), 'Tensor: data of length 3 does not fill shape [2,2]'],
  ])('%s', (_name, misuse, message) => {
    expect(misuse).toThrow(message);
  });

  it('a defined op must return a new tensor', () => {
    const identity = defineOp({ name: 'Identity', forward: ([x]) => x!, backward: () => {} });
    expect(() => identity([tensor(1)], undefined)).toThrow('Identity: forward must return a new Tensor');
  });
});
