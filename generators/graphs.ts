/**
 * Random expression graphs over the engine's op set, as data (src/oracle/graph.ts), built top-down
 * from the shape each node must have so every graph is well-formed. Shared subexpressions (fan-out)
 * make gradients accumulate, where composition bugs show that per-op checks miss.
 */
import fc from 'fast-check';
import { sizeOf } from '../src/autograd/shape.ts';
import { isLeaf, REDUCTION_OPS, topological, useCounts, type Apply, type Attrs, type Expr, type Graph, type OpName } from '../src/oracle/graph.ts';
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
  /** The whole domain (the PyTorch oracle's): NaN and ±Infinity among the leaves and the seed, log(relu(x)). */
  nonFinite?: boolean;
}

/** NaN and ±Infinity, drawn now and then into any value arbitrary (the PyTorch oracle's domain). */
export const withNonFinite = (values: fc.Arbitrary<number>, weight = 1): fc.Arbitrary<number> =>
  fc.oneof({ weight: 30, arbitrary: values }, { weight, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) });

/** Values of the gradient seeded at the root: the grid, so exact graphs stay exact backwards. */
const gradientSeed = (n: number, nonFinite = false) => {
  const values = dyadic({ min: -2, max: 2, denominator: 8 });
  return fc.array(nonFinite ? withNonFinite(values, 1) : values, { minLength: n, maxLength: n });
};

const gridValues = kinky({ min: -2, max: 2, denominator: 8, kinks: [0, 1, -1], kinkShare: 0.3 });
const apply = (op: OpName, args: (Expr | number)[], attrs?: Attrs): Apply => (attrs ? { op, args, attrs } : { op, args });

export function graph({ maxDepth = 3, maxSize = 3, values, nonFinite = false }: GraphOptions = {}): fc.Arbitrary<Graph> {
  const dimension = fc.integer({ min: 1, max: maxSize });
  const anyShape: fc.Arbitrary<Shape> = fc.oneof(fc.constant<Shape>([]), fc.array(dimension, { minLength: 1, maxLength: 2 }));
  const finite = values === 'doubles' ? [unit()] : values === 'grid' ? [gridValues] : [gridValues, unit()];
  // Half the graphs of the whole domain stay finite: there a grid graph is compared exactly.
  const leafValues = fc.constantFrom(...finite, ...(nonFinite ? finite.map((v) => withNonFinite(v, 3)) : []));

  return leafValues.chain((numbers) => {
    const leaf = (shape: Shape): fc.Arbitrary<Expr> => tensorOf(shape, numbers).map((value) => ({ op: 'leaf', value }));
    const constant = dyadic({ min: -2, max: 2, denominator: 4 });

    /** A subexpression that is positive everywhere: the operand of log and the divisor of div. */
    const positive = (shape: Shape, depth: number) =>
      fc.tuple(fc.constantFrom<OpName>('sigmoid', 'exp'), expr(shape, depth)).map(([op, e]) => apply(op, [e]));
    /** log's operand: positive, or (whole domain) relu(x), a student's log(relu(x)) that is -Infinity where x <= 0. */
    const logOperand = (shape: Shape, depth: number) =>
      nonFinite ? fc.oneof(positive(shape, depth), expr(shape, depth).map((e) => apply('relu', [e]))) : positive(shape, depth);

    const expr = (shape: Shape, depth: number): fc.Arbitrary<Expr> => {
      if (depth <= 0) return leaf(shape);
      const below = depth - 1;
      const sub = (s: Shape) => expr(s, below);
      const rank = shape.length;
      const choices: fc.WeightedArbitrary<Expr>[] = [
        { weight: 3, arbitrary: leaf(shape) },
        { weight: 4, arbitrary: fc.tuple(fc.constantFrom<OpName>('neg', 'exp', 'tanh', 'sigmoid', 'relu', 'abs'), sub(shape)).map(([op, e]) => apply(op, [e])) },
        { weight: 1, arbitrary: logOperand(shape, below).map((e) => apply('log', [e])) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0, 1, 2, 3), sub(shape)).map(([k, e]) => apply('pow', [e], { k })) },
        {
          weight: 2,
          // min only, max only, both (min <= max), or min == max
          arbitrary: fc
            .tuple(sub(shape), constant, constant, fc.constantFrom('min', 'max', 'both', 'equal'))
            .map(([e, a, b, kind]) =>
              apply('clamp', [e], kind === 'min' ? { min: a } : kind === 'max' ? { max: a } : { min: Math.min(a, b), max: kind === 'equal' ? Math.min(a, b) : Math.max(a, b) }),
            ),
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
        choices.push({ weight: 1, arbitrary: fc.constantFrom(...broadcastSources(shape)).chain((from) => sub(from)).map((e) => apply('expand', [e], { shape })) });
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
        // a dim on a 0-d tensor (0 or -1), as PyTorch takes it
        choices.push({ weight: 1, arbitrary: fc.tuple(fc.constantFrom<OpName>('sum', 'mean', 'prod', 'max', 'softmax'), fc.constantFrom(0, -1), sub([])).map(([op, dim, e]) => apply(op, [e], { dim })) });
        choices.push({ weight: 2, arbitrary: fc.tuple(fc.constantFrom<OpName>('dot', 'matmul'), dimension).chain(([op, k]) => fc.tuple(sub([k]), sub([k])).map((ab) => apply(op, ab))) });
      }
      return fc.oneof({ depthSize: 'small' }, ...choices);
    };

    return anyShape.chain((shape) => fc.record({ root: expr(shape, maxDepth), seed: gradientSeed(sizeOf(shape), nonFinite) }));
  });
}

/** Coverage labels: the ops a graph uses, its depth, whether it fans out, grid or doubles. */
export function labelGraph({ root }: Graph): string[] {
  const nodes = topological(root);
  const ops = new Set(nodes.filter((e) => !isLeaf(e)).map((e) => `op:${e.op}`));
  const leaves = nodes.filter(isLeaf);
  const onGrid = leaves.every((l) => l.value.data.every((x) => Number.isInteger(x * 8) || !Number.isFinite(x)));
  const nonFinite = leaves.some((l) => l.value.data.some((x) => !Number.isFinite(x)));
  const uses = useCounts(root);
  const depth = (e: Expr): number => (isLeaf(e) ? 0 : 1 + Math.max(0, ...e.args.map((a) => (typeof a === 'object' ? depth(a) : 0))));
  return [...ops, `depth=${depth(root)}`, onGrid ? 'leaves=grid' : 'leaves=doubles', ...(nonFinite ? ['leaves with NaN/±Infinity'] : []), [...uses.values()].some((n) => n > 1) ? 'fan-out' : 'tree'];
}

// ---- one op at a time ---------------------------------------------------------------------------

const smallDimension = fc.integer({ min: 1, max: 4 });
const shapeOfRank = (rank: number) => fc.array(smallDimension, { minLength: rank, maxLength: rank });
const anySmallShape = fc.integer({ min: 0, max: 2 }).chain(shapeOfRank);

/** Shapes that broadcast to `shape` by NumPy's rules and differ from it: leading dims dropped, a size of 1 stretched. */
function broadcastSources(shape: Shape): Shape[] {
  const stretched = shape.map((_, d) => shape.map((size, i) => (i === d ? 1 : size)));
  return [shape.slice(1), ...stretched].filter((s) => s.join() !== shape.join());
}
/** A small grid (multiples of 1/2 in [-1, 1]) where ties and zeros come often. */
const tieValues = dyadic({ min: -1, max: 1, denominator: 2 });
const opValues = (kinks: number[], nonFinite: boolean) => {
  const finite = fc.oneof({ weight: 3, arbitrary: kinky({ min: -2, max: 2, denominator: 8, kinks, kinkShare: 0.3 }) }, { weight: 1, arbitrary: unit() }, { weight: 1, arbitrary: tieValues });
  return nonFinite ? withNonFinite(finite, 8) : finite;
};
const leafOf = (shape: Shape, values: fc.Arbitrary<number>): fc.Arbitrary<Expr> => tensorOf(shape, values).map((value) => ({ op: 'leaf', value }));

/** Operand shapes that broadcast to `out`: the same, a []-shaped tensor, a trailing row, or a number. */
const broadcastPartner = (out: Shape, values: fc.Arbitrary<number>): fc.Arbitrary<Expr | number> =>
  fc.oneof(
    leafOf(out, values),
    leafOf([], values),
    ...(out.length === 2 ? [leafOf([out[1]!], values)] : []),
    values.map((x) => Math.fround(x)),
  );

/** The input shapes (and attributes) of a single op, drawn to cover its shape cases. */
function opInputs(op: OpName, values: fc.Arbitrary<number>, nonFinite: boolean): fc.Arbitrary<Apply> {
  const unary = (shape: fc.Arbitrary<Shape>, attrs?: fc.Arbitrary<Attrs | undefined>) =>
    fc.tuple(shape.chain((s) => leafOf(s, values)), attrs ?? fc.constant(undefined)).map(([x, a]) => apply(op, [x], a));
  switch (op) {
    case 'neg': case 'exp': case 'log': case 'tanh': case 'sigmoid': case 'relu': case 'abs':
      return unary(anySmallShape);
    case 'pow':
      return unary(anySmallShape, fc.constantFrom(0, 1, 2, 3, -1, 0.5, ...(nonFinite ? [-0.5, NaN, Infinity, -Infinity] : [])).map((k) => ({ k })));
    case 'clamp':
      return unary(
        anySmallShape,
        fc.tuple(fc.constantFrom(-1, -0.5, 0, 0.5), fc.constantFrom(0, 0.5, 1), fc.constantFrom('min', 'max', 'both', 'equal')).map(([lo, hi, kind]) =>
          kind === 'min' ? { min: lo } : kind === 'max' ? { max: hi } : kind === 'equal' ? { min: lo, max: lo } : { min: lo, max: Math.max(lo, hi) },
        ),
      );
    case 'add': case 'sub': case 'mul': case 'div': case 'maximum': case 'minimum':
      return fc
        .tuple(anySmallShape, fc.boolean())
        .chain(([s, swap]) => fc.tuple(leafOf(s, values), broadcastPartner(s, values)).map(([a, b]) => apply(op, swap && typeof b === 'object' ? [b, a] : [a, b])));
    case 'matmul':
      return fc
        .tuple(smallDimension, smallDimension, smallDimension, fc.constantFrom('2x2', '2x1', '1x2', '1x1'))
        .chain(([m, k, n, kind]) => fc.tuple(leafOf(kind[0] === '2' ? [m, k] : [k], values), leafOf(kind[2] === '2' ? [k, n] : [k], values)))
        .map((ab) => apply(op, ab));
    case 'mv':
      return fc.tuple(smallDimension, smallDimension).chain(([m, k]) => fc.tuple(leafOf([m, k], values), leafOf([k], values))).map((ab) => apply(op, ab));
    case 'dot':
      return smallDimension.chain((k) => fc.tuple(leafOf([k], values), leafOf([k], values))).map((ab) => apply(op, ab));
    case 'T':
      return unary(fc.integer({ min: 1, max: 2 }).chain(shapeOfRank));
    case 'diag':
      return unary(shapeOfRank(1));
    case 'sum': case 'mean': case 'prod': case 'max': case 'softmax':
      return anySmallShape.chain((s) =>
        fc
          .tuple(leafOf(s, values), s.length === 0 && !nonFinite ? fc.constant(undefined) : fc.constantFrom(undefined, 0, Math.max(0, s.length - 1), -1))
          .map(([x, dim]) => apply(op, [x], dim === undefined ? undefined : { dim })),
      );
    case 'stack':
      return fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1 }).chain(shapeOfRank)).chain(([n, s]) =>
        fc.array(leafOf(s, values), { minLength: n, maxLength: n }).map((xs) => apply(op, xs)),
      );
    case 'at':
      return fc.integer({ min: 1, max: 2 }).chain(shapeOfRank).chain((s) =>
        fc.tuple(leafOf(s, values), fc.integer({ min: -s[0]!, max: s[0]! - 1 })).map(([x, index]) => apply(op, [x], { index })),
      );
    case 'expand':
      return fc.integer({ min: 1, max: 2 }).chain(shapeOfRank).chain((s) =>
        fc.constantFrom(...broadcastSources(s)).chain((from) => leafOf(from, values)).map((x) => apply(op, [x], { shape: s })),
      );
    case 'reshape':
      return anySmallShape.chain((s) => {
        const n = sizeOf(s);
        const targets: Shape[] = [[n], [1, n], [n, 1], ...(n === 1 ? [[]] : []), [-1]];
        return fc.tuple(leafOf(s, values), fc.constantFrom(...targets)).map(([x, shape]) => apply(op, [x], { shape }));
      });
  }
}

/** Kink values pinned into each op's inputs: where its branch or its derivative changes. */
const OP_KINKS: Partial<Record<OpName, number[]>> = { relu: [0], abs: [0], clamp: [0, 0.5, -1, -0.5, 1], log: [0, 1], pow: [0], prod: [0], div: [] };

/**
 * A graph of one op over fresh leaves, covering its shapes, broadcasting and kinks; with
 * `nonFinite` (the PyTorch oracle's whole domain) also NaN and ±Infinity in leaves and seed, a dim
 * on 0-d tensors, and non-finite pow exponents.
 */
export function opGraph(op: OpName, { nonFinite = false } = {}): fc.Arbitrary<Graph> {
  // Of the whole domain, a third of the graphs hold NaN or ±Infinity (inputs or seed); the rest are finite and compared exactly on the grid.
  const kinds = nonFinite ? fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) : fc.constant(false);
  return kinds.chain((withNaN) =>
    fc.record({ root: opInputs(op, opValues(OP_KINKS[op] ?? [0], withNaN), nonFinite), seed: gradientSeed(16, withNaN) }),
  );
}

/** Coverage labels of a one-op graph: operand shapes (broadcasting), attributes, leaf values. */
export function labelOpGraph({ root }: Graph): string[] {
  if (isLeaf(root)) return ['leaf'];
  const operand = (a: Expr | number) => (typeof a === 'number' ? 'number' : isLeaf(a) ? `rank${a.value.shape.length}` : 'expr');
  const labels = [`operands=${root.args.map(operand).join(',')}`];
  const { attrs } = root;
  if (attrs?.dim !== undefined) labels.push(`dim=${attrs.dim}`);
  else if ((REDUCTION_OPS as readonly OpName[]).includes(root.op)) labels.push('dim=all');
  if (attrs?.k !== undefined) labels.push(`k=${attrs.k}`);
  if (root.op === 'clamp') labels.push(attrs?.min === undefined ? 'max only' : attrs.max === undefined ? 'min only' : attrs.min === attrs.max ? 'min == max' : 'min < max');
  if (attrs?.index !== undefined) labels.push(attrs.index < 0 ? 'index<0' : 'index>=0');
  const values = root.args.flatMap((a) => (typeof a === 'number' ? [a] : isLeaf(a) ? Array.from(a.value.data) : []));
  const zeros = values.filter((x) => x === 0).length;
  if (zeros > 0) labels.push(zeros === 1 ? 'one 0' : 'several 0s');
  if (new Set(values).size < values.length) labels.push('repeated value (ties)');
  if (values.some((x) => !Number.isFinite(x)) || (attrs?.k !== undefined && !Number.isFinite(attrs.k))) labels.push('NaN/±Infinity');
  if (attrs?.dim !== undefined && root.args.some((a) => typeof a === 'object' && isLeaf(a) && a.value.shape.length === 0)) labels.push('dim on 0-d');
  return labels;
}
