/**
 * The method forms of the ops (`U.matmul(x).relu()`, `x.sum()`), derived from the ops themselves: an
 * op is registered once, where it is defined, and `x.op(...rest)` is `op(x, ...rest)`. Loaded by the
 * engine's entry point (index.ts), which is what gives every Tensor its methods.
 */
import * as ops from './ops/index.ts';
import { Tensor } from './tensor.ts';

/** Ops that are not methods: `stack` takes a list of tensors; `transpose` is the getter `T`. */
const NOT_METHODS = ['stack', 'transpose'] as const;
type MethodOps = Omit<typeof ops, (typeof NOT_METHODS)[number]>;

/** `x.op(...rest)` for every op `op(x, ...rest)`, with the op's own parameter names and types. */
export type TensorMethods = {
  [K in keyof MethodOps]: MethodOps[K] extends (self: never, ...rest: infer A) => Tensor ? (...rest: A) => Tensor : never;
} & {
  /** Transpose of a 2-D tensor; a 0-D or 1-D tensor is its own transpose. */
  readonly T: Tensor;
};

for (const [name, op] of Object.entries(ops) as [string, (self: Tensor, ...rest: unknown[]) => Tensor][]) {
  if ((NOT_METHODS as readonly string[]).includes(name)) continue;
  // Named like the op, so a stack trace reads `Tensor.matmul`; not enumerable, as class methods are not.
  const method = { [name](this: Tensor, ...rest: unknown[]) { return op(this, ...rest); } }[name]!;
  Object.defineProperty(Tensor.prototype, name, { value: method, writable: true, configurable: true });
}
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return ops.transpose(this);
  },
  configurable: true,
});
