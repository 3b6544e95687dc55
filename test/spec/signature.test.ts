/** Export signatures: which dimension symbols a size or an index may name, and the calls they make. */
import { describe, expect, test } from 'vitest';
import { fn } from '../../src/spec/signature.ts';
import * as t from '../../src/spec/types-dsl.ts';

describe('fn: sizes and indexes name dimensions', () => {
  test('a size may name a dimension of a tensor parameter', () => {
    const forward = fn('forward', { params: { input: t.tensor('N', 'dim'), dim: t.size('dim') }, returns: t.tensor('N', 'dim') });
    expect(forward.args({ input: 1, dim: 2 })).toEqual([1, 2]);
  });

  test('a size may name a dimension only the result has (the export builds tensors of that size)', () => {
    const head = fn('head', { params: { n: t.size('n') }, returns: t.record({ Q: t.tensor('n', 'd'), K: t.tensor('n+1', 'd') }) });
    expect(head.paramNames).toEqual(['n']);
    expect(head.args({ n: 4 })).toEqual([4]);
  });

  test('a size that names no dimension at all is refused, naming it', () => {
    expect(() => fn('f', { params: { n: t.size('n') }, returns: t.tensor('m') })).toThrow("fn('f'): size('n') names no dimension of a tensor parameter or of the result");
  });

  test("an index points into an argument: a result's dimension is not enough", () => {
    expect(() => fn('f', { params: { i: t.index('n') }, returns: t.tensor('n') })).toThrow("fn('f'): index('n') names no dimension of a tensor parameter");
    expect(fn('g', { params: { x: t.tensor('n'), i: t.index('n') }, returns: t.scalar() }).paramNames).toEqual(['x', 'i']);
  });
});
