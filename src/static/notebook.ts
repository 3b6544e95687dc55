/**
 * The notebook's fixed example (CONTRACT.md section 3) and what it computes, in plain numbers:
 * the inputs a student may copy, and the outputs a student must not write down.
 */
type Vector = number[];
type Matrix = number[][];

export const EXAMPLE_INPUTS = {
  U: [[-0.3, 0.6], [0.2, 0.1]],
  V: [[0.4, 0.4], [0.9, -0.7]],
  W: [[0.5, -0.1], [0.2, 0.3]],
  x1: [0, 1],
  x2: [1, 0],
  h0: [0, 0],
} satisfies Record<string, Vector | Matrix>;

const mv = (A: Matrix, x: Vector): Vector => A.map((row) => row.reduce((s, a, j) => s + a * x[j]!, 0));
const plus = (a: Vector, b: Vector): Vector => a.map((v, i) => v + b[i]!);
const relu = (v: Vector): Vector => v.map((x) => Math.max(0, x));

function exampleOutputs(): Record<string, Vector | Matrix> {
  const { U, V, W, x1, x2, h0 } = EXAMPLE_INPUTS;
  const pre1 = plus(mv(U, x1), mv(V, h0));
  const h1 = relu(pre1);
  const h2 = relu(plus(mv(U, x2), mv(V, h1)));
  // h1[0] = relu(sum_j U[0][j] x1[j] + ...): its gradient wrt U is x1 in row 0 when relu is active
  // (relu'(0) = 0, as torch), zeros elsewhere.
  const active = pre1[0]! > 0 ? 1 : 0;
  const gradH11WrtU = U.map((row, i) => row.map((_, j) => (i === 0 ? active * x1[j]! : 0)));
  return { h1, o1: mv(W, h1), h2, o2: mv(W, h2), gradH11WrtU };
}

export const EXAMPLE_OUTPUTS = exampleOutputs();
