/**
 * Random expression graphs over the engine's op set, as data (src/oracle/graph.ts), built top-down
 * from the shape each node must have so every graph is well-formed. Shared subexpressions (fan-out)
 * make gradients accumulate, where composition bugs show that per-op checks miss.
 */
import fc from 'fast-check';
import type { Apply, Attrs, Expr, Graph, OpName } from '../src/oracle/graph.ts';
import { isLeaf, topological } from '../src/oracle/graph.ts';
import { tensorOf } from './tensors.ts';
import { dyadic, kinky, unit } from './values.ts';

type Shape = number[];

export interface GraphOptions {
  /** Depth of the deepest op (default 3). */
  maxDepth?: number;
  /** Largest dimension of any tensor (default 3). */
  maxSize?: number;
  /** Leaf values: the exact grid with kinks pinned in, or unit-class doubles (default: either). */
  values?: 'grid' | 'doubles';
}

const gridValues = kinky({ min: -2, max: 2, denominator: 8, kinks: [0, 1, -1], kinkShare: 0.3 });
const apply = (op: OpName, args: (Expr | number)[], attrs?: Attrs): Apply => (attrs ? { op, args, attrs } : { op, args });

export function graph({ maxDepth = 3, maxSize = 3, values }: GraphOptions = {}): fc.Arbitrary<Graph> {
  const dimension = fc.integer({ min: 1, max: maxSize });
  const anyShape: fc.Arbitrary<Shape> = fc.oneof(fc.constant<Shape>([]), fc.array(dimension, { minLength: 1, maxLength: 2 }));
  const leafValues = values === 'doubles' ? fc.constant(unit()) : values === 'grid' ? fc.constant(gridValues) : fc.constantFrom(gridValues, unit());

  return leafValues.chain((numbers) => {
    const leaf = (shape: Shape): fc.Arbitrary<Expr> => tensorOf(shape, numbers).map((value) => ({ op: 'leaf', value }));
    const constant = dyadic({ min: -2, max: 2, denominator: 4 });

    /** A subexpression that is positive everywhere: the operand of log and the divisor of div. */
    const positive = (shape: Shape, depth: number) =>
      fc.tuple(fc.constantFrom<OpName>('sigmoid', 'exp'), expr(shape, depth)).map(([op, e]) => apply(op, [e]));

    const expr = (shape: Shape, depth: number): fc.Arbitrary<Expr> => {
      if (depth <= 0) return leaf(shape);
      const below = depth - 1;
      const sub = (s: Shape) => expr(s, below);
      const rank = shape.length;
      const choices: fc.WeightedArbitrary<Expr>[] = [
        { weight: 3, arbitrary: leaf(shape) },
        { weight: 4, arbitrary: fc.tuple(fc.constantFrom<OpName>('neg', 'exp', 'tanh', 'sigmoid', 'relu', 'abs'), sub(shape)).map(([op, e]) => apply(op, [e])) },
        { weight: 1, arbitrary: positive(shape, below).map((e) => apply('log', [e])) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0, 1, 2, 3), sub(shape)).map(([k, e]) => apply('pow', [e], { k })) },
        {
          weight: 2,
          arbitrary: fc
            .tuple(sub(shape), fc.option(constant), fc.option(constant), fc.boolean())
            .map(([e, a, b, same]) => {
              const lo = a ?? undefined;
              const hi = same ? lo : b === null ? undefined : lo === undefined ? b : Math.max(lo, b);
              return apply('clamp', [e], { ...(lo !== undefined && { min: lo }), ...(hi !== undefined && { max: hi }) });
            }),
        },
        {
          weight: 5,
          arbitrary: fc
            .tuple(
              fc.constantFrom<OpName>('add', 'sub', 'mul', 'maximum', 'minimum'),
              sub(shape),
              fc.oneof(sub(shape), sub([]), constant), // same shape, a broadcast scalar, or a number
              fc.boolean(),
            )
            .map(([op, a, b, swap]) => apply(op, swap ? [b, a] : [a, b])),
        },
        { weight: 1, arbitrary: fc.tuple(sub(shape), positive(shape, below)).map(([a, b]) => apply('div', [a, b])) },
        {
          // fan-out: one subexpression used twice, directly and through a unary op
          weight: 2,
          arbitrary: fc
            .tuple(fc.constantFrom<OpName>('add', 'mul', 'maximum'), fc.constantFrom<OpName>('relu', 'tanh', 'neg', 'abs'), sub(shape))
            .map(([op, inner, e]) => apply(op, [e, apply(inner, [e])])),
        },
      ];
      // Structural ops that give this shape from another.
      choices.push({
        weight: 1,
        arbitrary: fc.tuple(dimension, fc.nat()).chain(([k, i]) => sub([k, ...shape]).map((e) => apply('at', [e], { index: (i % (2 * k)) - k }))),
      });
      if (rank === 2) {
        const [m, n] = shape;
        choices.push({ weight: 3, arbitrary: dimension.chain((k) => fc.tuple(sub([m, k]), sub([k, n]))).map((ab) => apply('matmul', ab)) });
        choices.push({ weight: 1, arbitrary: sub([n, m]).map((e) => apply('T', [e])) });
        choices.push({ weight: 1, arbitrary: sub([m * n]).map((e) => apply('reshape', [e], { shape })) });
        if (m === n) choices.push({ weight: 1, arbitrary: sub([n]).map((e) => apply('diag', [e])) });
      }
      if (rank >= 1) {
        const [n, ...rest] = shape;
        choices.push({ weight: 1, arbitrary: fc.array(sub(rest), { minLength: n, maxLength: n }).map((es) => apply('stack', es)) });
        choices.push({ weight: 1, arbitrary: fc.tuple(sub(shape), fc.boolean()).map(([e, last]) => apply('softmax', [e], last ? undefined : { dim: 0 })) });
      }
      if (rank === 1) {
        const [n] = shape;
        choices.push({
          weight: 3,
          // A [n, k] @ v[k] (mv or matmul) or v[k] @ B[k, n] (matmul)
          arbitrary: fc.tuple(dimension, fc.constantFrom<OpName>('mv', 'matmul'), fc.boolean()).chain(([k, op, vectorFirst]) =>
            op === 'matmul' && vectorFirst
              ? fc.tuple(sub([k]), sub([k, n])).map((ab) => apply(op, ab))
              : fc.tuple(sub([n, k]), sub([k])).map((ab) => apply(op, ab)),
          ),
        });
        choices.push({
          weight: 2,
          arbitrary: fc.tuple(fc.constantFrom<OpName>('sum', 'mean', 'prod', 'max'), dimension, fc.boolean()).chain(([op, m, first]) =>
            sub(first ? [m, n] : [n, m]).map((e) => apply(op, [e], { dim: first ? 0 : 1 })),
          ),
        });
      }
      if (rank === 0) {
        choices.push({ weight: 3, arbitrary: fc.tuple(fc.constantFrom<OpName>('sum', 'mean', 'prod', 'max'), anyShape).chain(([op, s]) => sub(s).map((e) => apply(op, [e]))) });
        choices.push({ weight: 2, arbitrary: fc.tuple(fc.constantFrom<OpName>('dot', 'matmul'), dimension).chain(([op, k]) => fc.tuple(sub([k]), sub([k])).map((ab) => apply(op, ab))) });
      }
      return fc.oneof({ depthSize: 'small' }, ...choices);
    };

    return anyShape.chain((shape) => fc.record({ root: expr(shape, maxDepth), dy: tensorOf(shape, dyadic({ min: -2, max: 2, denominator: 8 })) }));
  });
}

/** Coverage labels: the ops a graph uses, its depth, whether it fans out, grid or doubles. */
export function labelGraph({ root }: Graph): string[] {
  const nodes = topological(root);
  const ops = new Set(nodes.filter((e) => !isLeaf(e)).map((e) => `op:${e.op}`));
  const leaves = nodes.filter(isLeaf);
  const onGrid = leaves.every((l) => l.value.data.every((x) => Number.isInteger(x * 8)));
  const uses = new Map<Expr, number>();
  for (const e of nodes) if (!isLeaf(e)) for (const a of e.args) if (typeof a === 'object') uses.set(a, (uses.get(a) ?? 0) + 1);
  const depth = (e: Expr): number => (isLeaf(e) ? 0 : 1 + Math.max(0, ...e.args.map((a) => (typeof a === 'object' ? depth(a) : 0))));
  return [...ops, `depth=${depth(root)}`, onGrid ? 'leaves=grid' : 'leaves=doubles', [...uses.values()].some((n) => n > 1) ? 'fan-out' : 'tree'];
}
