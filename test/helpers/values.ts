/** fast-check values with their shrinking contexts, for tests that walk an arbitrary's shrink candidates themselves. */
import fc from 'fast-check';

/** `n` cases of `arb` as fast-check draws them at `seed`, each with the context its shrinking needs. */
export function drawValues<T>(arb: fc.Arbitrary<T>, n: number, seed: number): fc.Value<T>[] {
  const values: fc.Value<T>[] = [];
  const recording = new (class extends fc.Arbitrary<T> {
    generate(random: fc.Random, bias: number | undefined) {
      const value = arb.generate(random, bias);
      values.push(value);
      return value;
    }
    canShrinkWithoutContext(value: unknown): value is T {
      return false;
    }
    shrink() {
      return fc.Stream.nil<fc.Value<T>>();
    }
  })();
  fc.assert(fc.property(recording, () => true), { numRuns: n, seed });
  return values;
}
