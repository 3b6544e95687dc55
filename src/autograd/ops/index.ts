export { abs, add, clamp, div, exp, log, maximum, minimum, mul, neg, pow, relu, sigmoid, sub, tanh } from './elementwise.ts';
export { diag, dot, matmul, mv, transpose } from './linalg.ts';
export { at, reshape, stack } from './movement.ts';
export { max, mean, prod, softmax, sum } from './reduce.ts';
export { expand } from './operands.ts';
