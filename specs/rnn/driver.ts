/**
 * The lab's driver, bundled beside the harness in the student's process (public code: it holds
 * nothing secret). A bigram RNN is an object `{ sigma, U, V, W }` (or a function of the table that
 * returns one), which cannot cross to the grader as data: the driver runs it here.
 */
import { noGrad, stack, tensor, zeros, Tensor } from 'propgrade/autograd';

/**
 * Runs the RNN over the one-hot rows of `seq` [N, V] from h0 = 0: h_t = sigma(U x_t + V h_{t-1}),
 * o_t = W h_t; returns the N outputs as a [N, V] tensor. `table` given: the export is a function of it.
 */
export function runBigramRNN(exported: unknown, seq: Tensor, table?: Tensor): Tensor {
  const rnn = (typeof exported === 'function' ? exported(table) : exported) as Record<string, unknown>;
  const name = typeof exported === 'function' ? 'the RNN it returned' : 'the RNN';
  if (typeof rnn !== 'object' || rnn === null) throw new Error(`${name} must be an object { sigma, U, V, W }, got ${describe(rnn)}`);
  const sigma = rnn.sigma;
  if (typeof sigma !== 'function') throw new Error(`${name}'s sigma must be a function, got ${describe(sigma)}`);
  const [U, V, W] = (['U', 'V', 'W'] as const).map((key) => asTensor(rnn[key], `${name}'s ${key}`));
  return noGrad(() => {
    let h = zeros(V!.shape[0] ?? 1);
    const out: Tensor[] = [];
    for (let t = 0; t < seq.shape[0]!; t++) {
      try {
        h = sigma(U!.matmul(seq.at(t)).add(V!.matmul(h)));
        if (!(h instanceof Tensor)) throw new Error(`sigma returned ${describe(h)}, not a tensor`);
        out.push(W!.matmul(h));
      } catch (error) {
        throw new Error(`at step ${t + 1}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return stack(out);
  });
}

function asTensor(value: unknown, what: string): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number' || Array.isArray(value)) return tensor(value as number[]);
  throw new Error(`${what} must be a tensor, got ${describe(value)}`);
}

const describe = (value: unknown): string =>
  value === undefined ? 'nothing (undefined)' : value === null ? 'null' : typeof value === 'object' ? `an object of type ${value.constructor?.name ?? 'unknown'}` : `a ${typeof value}`;
