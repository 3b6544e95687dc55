/**
 * Cases whose sizes shrink first. `sizes.chain((s) => caseOf(s))` shrinks a size by drawing a new
 * case of the smaller size afresh, which rarely fails the same way, and once the case's values have
 * shrunk it never tries a smaller size again: counterexamples stayed at the size drawn first (dim
 * 32, V = 30, N = 33). `sized(sizes, build)` draws the sizes, then builds the case from them, asking
 * `draw(key, arbitrary)` for every other value. Shrinking tries smaller sizes first, at every step:
 * each smaller size first keeps the values drawn (the smaller case is the larger one cut down, key
 * by key), then, a few times per shrink, draws the smaller case's entries afresh, keeping its kinds
 * and flags (where a bug shows at the smallest size but not on the cut-down values, as a relu bug
 * needs a negative pre-activation).
 * Only then do the values shrink, each toward its arbitrary's smallest.
 *
 * A key names one value drawn from one arbitrary, whatever the sizes: a tensor's entry by its
 * indices (`drawTensor`), a kind, a flag. A value whose range depends on a size is drawn at the
 * largest size's range and cut by the build (`raw % V`), so that it stays valid as the size shrinks.
 * Values a shrunk case asks for that were not drawn yet (a smaller kind wants others), and the
 * fresh draws, come from a random stream kept for the case: shrinking is deterministic by seed.
 */
import fc from 'fast-check';
import type { PlainTensor } from '../src/sandbox/protocol.ts';

/**
 * The value of `key`, drawn from `arbitrary` the first time a case asks for it. `entry`: the value
 * is an entry of something sized (a tensor's, an array's: `drawTensor`, `drawArray`), which a fresh
 * draw of a smaller case draws again; any other value (a kind, a flag) a fresh draw keeps.
 */
export type Draw = <T>(key: string, arbitrary: fc.Arbitrary<T>, options?: { entry?: boolean }) => T;

type Sizes<S> = { [K in keyof S]: fc.Arbitrary<S[K]> };

interface Drawn {
  arbitrary: fc.Arbitrary<unknown>;
  value: fc.Value<unknown>;
  entry: boolean;
}

/** Fresh draws of the smallest case offered per shrinking step, and in all over one shrink (each costs a check when it passes). */
const FRESH_PER_STEP = 8;
const MAX_FRESH = 48;
/** Random draws skipped between two fresh cases: far more than a small case asks for, so they share none. */
const FRESH_STRIDE = 1024;

interface SizedContext {
  sizes: Record<string, fc.Value<unknown>>;
  /** Every value the case asked for, in the order it asked. */
  drawn: Map<string, Drawn>;
  /** Shrinking resumes at this drawn value: those before it shrank as far as they would (as fc.array does). */
  start: number;
  /** How many fresh cases this shrink has offered so far. */
  fresh: number;
  /** Draws the values a shrunk case asks for first, and the fresh cases (cloned each time: the same every time). */
  random: fc.Random;
  bias: number | undefined;
}

const isSizedContext = (context: unknown): context is SizedContext =>
  typeof context === 'object' && context !== null && 'drawn' in context && 'sizes' in context && 'random' in context;

/** A stream made only when it is first pulled: most candidates of a case are never asked for. */
function* lazily<T>(make: () => Iterable<T>): IterableIterator<T> {
  yield* make();
}

/** The `k`-th random stream of fresh draws: `random` far enough along that two of them share nothing. */
function freshRandom(random: fc.Random, k: number): fc.Random {
  const fresh = random.clone();
  for (let skip = 0; skip < (k + 1) * FRESH_STRIDE; skip++) fresh.nextInt(0, 1);
  return fresh;
}

class SizedArbitrary<S extends Record<string, unknown>, T> extends fc.Arbitrary<T> {
  constructor(
    private readonly sizes: Sizes<S>,
    private readonly build: (sizes: S, draw: Draw) => T,
  ) {
    super();
  }

  generate(random: fc.Random, bias: number | undefined): fc.Value<T> {
    const sizes = Object.fromEntries(Object.entries<fc.Arbitrary<unknown>>(this.sizes).map(([name, arbitrary]) => [name, arbitrary.generate(random, bias)]));
    return this.built(sizes, new Map(), random, { random: random.clone(), bias, fresh: 0 });
  }

  canShrinkWithoutContext(value: unknown): value is T {
    return false;
  }

  shrink(_value: T, context: unknown): fc.Stream<fc.Value<T>> {
    if (!isSizedContext(context)) return fc.Stream.nil();
    const { sizes, drawn, start, random } = context;
    // Fresh cases offered so far, counted as the stream is pulled: each candidate carries the count before it.
    let fresh = context.fresh;
    const kept = () => ({ random: context.random, bias: context.bias, fresh });
    const arbitraries: Record<string, fc.Arbitrary<unknown>> = this.sizes;
    const build = this.built.bind(this);
    // What a fresh draw keeps: the kinds and flags, not the entries.
    const choices = new Map([...drawn].filter(([, d]) => !d.entry));
    const names = Object.keys(sizes);
    const shrinksOf = (name: string) => arbitraries[name]!.shrink(sizes[name]!.value_, sizes[name]!.context);
    // The smallest sizes, all at once (each size's first candidate is its smallest): cut down, then drawn afresh a few times.
    function* smallest(): IterableIterator<fc.Value<T>> {
      const firsts = names.map((name) => [name, [...shrinksOf(name).take(1)][0]] as const);
      if (firsts.every(([, first]) => first === undefined)) return;
      const least = Object.fromEntries(firsts.map(([name, first]) => [name, first ?? sizes[name]!]));
      yield build(least, drawn, random.clone(), kept());
      for (let i = 0; i < FRESH_PER_STEP && fresh < MAX_FRESH; i++) yield build(least, choices, freshRandom(random, fresh++), kept());
    }
    // Then each size on its own, cut down.
    const sizeShrinks = names.map((name) => lazily<fc.Value<T>>(() => shrinksOf(name).map((size) => build({ ...sizes, [name]: size }, drawn, random.clone(), kept()))));
    const valueShrinks = [...drawn].slice(start).map(([key, { arbitrary, value, entry }]) =>
      lazily(() =>
        arbitrary.shrink(value.value_, value.context).map((shrunk) => this.built(sizes, new Map(drawn).set(key, { arbitrary, value: shrunk, entry }), context.random.clone(), kept(), key)),
      ),
    );
    return fc.Stream.nil<fc.Value<T>>().join(smallest(), ...sizeShrinks, ...valueShrinks);
  }

  /** The case of these sizes and known values, new ones drawn from `random`; `shrunk` is the key whose value just shrank. */
  private built(
    sizes: Record<string, fc.Value<unknown>>,
    known: Map<string, Drawn>,
    random: fc.Random,
    kept: Pick<SizedContext, 'random' | 'bias' | 'fresh'>,
    shrunk?: string,
  ): fc.Value<T> {
    const drawn = new Map<string, Drawn>();
    const draw: Draw = <V>(key: string, arbitrary: fc.Arbitrary<V>, { entry = false } = {}): V => {
      const value = drawn.get(key) ?? known.get(key) ?? { arbitrary, value: arbitrary.generate(random, kept.bias), entry };
      drawn.set(key, value);
      return value.value.value as V;
    };
    const values = Object.fromEntries(Object.entries(sizes).map(([name, size]) => [name, size.value])) as S;
    const value = this.build(values, draw);
    const start = shrunk === undefined ? 0 : Math.max(0, [...drawn.keys()].indexOf(shrunk));
    const context: SizedContext = { sizes, drawn, start, ...kept };
    return new fc.Value(value, context);
  }
}

/** A case built from its sizes and keyed draws, shrinking its sizes first (see the head of this file). */
export function sized<S extends Record<string, unknown>, T>(sizes: Sizes<S>, build: (sizes: S, draw: Draw) => T): fc.Arbitrary<T> {
  return new SizedArbitrary(sizes, build);
}

/** A tensor whose entries are drawn one key each, `name[i,j]`: cutting a dimension keeps every other entry. */
export function drawTensor(draw: Draw, name: string, shape: number[], values: fc.Arbitrary<number>): PlainTensor {
  const data: number[] = [];
  // Row-major, each key built from its row's prefix: `M[2,` then `M[2,5]`.
  const fill = (prefix: string, axis: number): void => {
    const last = axis === shape.length - 1;
    for (let i = 0; i < shape[axis]!; i++) {
      if (last) data.push(draw(`${prefix}${i}]`, values, { entry: true }));
      else fill(`${prefix}${i},`, axis + 1);
    }
  };
  if (shape.length === 0) data.push(draw(`${name}[]`, values, { entry: true }));
  else fill(`${name}[`, 0);
  return { shape: [...shape], data: Float64Array.from(data) };
}

/** `length` numbers drawn one key each, `name[i]`. */
export const drawArray = (draw: Draw, name: string, length: number, values: fc.Arbitrary<number>): number[] =>
  Array.from({ length }, (_, i) => draw(`${name}[${i}]`, values, { entry: true }));
