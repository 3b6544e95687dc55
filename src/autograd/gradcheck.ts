/**
 * Finite-difference check of the engine's gradients (torch.autograd.gradcheck): every element of
 * the Jacobian from backward() against float64 central differences, |a - n| <= atol + rtol |n|.
 */
import { formatShape } from './shape.ts';
import { Tensor, noGrad } from './tensor.ts';
import { tensor } from './create.ts';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
}

/** One Jacobian entry: d output[outputElement] / d inputs[input][element] (flat row-major indices). */
export interface JacobianEntry {
  input: number;
  element: number;
  outputElement: number;
  analytical: number;
  numerical: number;
}

export interface GradcheckResult {
  ok: boolean;
  /** The entry furthest outside (or, when ok, closest to) its tolerance; null with no entries. */
  worst: JacobianEntry | null;
  /** Per input, its Jacobian as [...output shape, ...input shape]. */
  analytical: Tensor[];
  numerical: Tensor[];
  /** One line for people: what was checked and the worst entry. */
  message: string;
}

/** How far past its tolerance an entry is (> 0 fails); NaN or infinite agree only with themselves. */
function excess(a: number, n: number, atol: number, rtol: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(n)) return Object.is(a, n) ? -Infinity : Infinity;
  return Math.abs(a - n) - (atol + rtol * Math.abs(n));
}

export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  { eps = 1e-6, atol = 1e-5, rtol = 1e-3 }: GradcheckOptions = {},
): GradcheckResult {
  const leaves = inputs.map((t) => tensor(t, { requiresGrad: true }));
  const y = fn(...leaves);
  if (!(y instanceof Tensor)) throw new Error('gradcheck: fn must return a Tensor');
  const m = y.size;
  const analytical = leaves.map((x) => new Float64Array(m * x.size));
  const numerical = leaves.map((x) => new Float64Array(m * x.size));

  // Row j of each Jacobian: backward from the one-hot gradient at output element j.
  for (let j = 0; j < m && y.requiresGrad; j++) {
    for (const x of leaves) x.grad = null;
    const seed = new Float64Array(m);
    seed[j] = 1;
    y.backward(new Tensor(seed, y.shape));
    leaves.forEach((x, i) => x.grad && analytical[i]!.set(x.grad.data, j * x.size));
  }
  // Column e of input i: central differences, perturbing the leaf in place.
  noGrad(() =>
    leaves.forEach((x, i) => {
      for (let e = 0; e < x.size; e++) {
        const original = x.data[e]!;
        x.data[e] = original + eps;
        // Copies: the result may be a view of x (reshape) that the next perturbation changes.
        const plus = fn(...leaves).data.slice();
        x.data[e] = original - eps;
        const minus = fn(...leaves).data.slice();
        x.data[e] = original;
        for (let j = 0; j < m; j++) numerical[i]![j * x.size + e] = (plus[j]! - minus[j]!) / (2 * eps);
      }
    }),
  );

  let worst: JacobianEntry | null = null;
  let worstExcess = -Infinity;
  for (const [i, x] of leaves.entries()) {
    for (let k = 0; k < m * x.size; k++) {
      const a = analytical[i]![k]!, n = numerical[i]![k]!;
      const over = excess(a, n, atol, rtol);
      if (worst === null || over > worstExcess) {
        worstExcess = over;
        worst = { input: i, element: k % x.size, outputElement: Math.floor(k / x.size), analytical: a, numerical: n };
      }
    }
  }
  const ok = worstExcess <= 0;
  const shapes = leaves.map((x) => formatShape(x.shape)).join(', ');
  const message = worst
    ? `gradcheck ${ok ? 'passed' : 'FAILED'} on inputs ${shapes}, output ${formatShape(y.shape)}; worst: d out[${worst.outputElement}] / d input${worst.input}[${worst.element}] analytical ${worst.analytical} vs numerical ${worst.numerical} (atol ${atol}, rtol ${rtol})`
    : `gradcheck passed: nothing to compare (inputs ${shapes}, output ${formatShape(y.shape)})`;
  return {
    ok,
    worst,
    analytical: analytical.map((a, i) => new Tensor(a, [...y.shape, ...leaves[i]!.shape])),
    numerical: numerical.map((n, i) => new Tensor(n, [...y.shape, ...leaves[i]!.shape])),
    message,
  };
}
