import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { defineTask, property } from '../../src/spec/define.ts';
import { Mismatch, expectSame, expectShape, expectTensorClose, expectWithinInterval } from '../../src/spec/expect.ts';
import { plain } from '../../src/spec/plain.ts';
import { COPYABLE_LENGTH, renderCase, renderPlain } from '../../src/spec/render.ts';
import { deriveSeed } from '../../src/spec/seed.ts';

const mismatch = (run: () => unknown): Mismatch => {
  try {
    run();
  } catch (error) {
    if (error instanceof Mismatch) return error;
    throw error;
  }
  throw new Error('expected a Mismatch');
};

describe('expectTensorClose', () => {
  test('within |a - e| <= abs + rel |e| passes, beyond fails naming the index and both values', () => {
    expectTensorClose(plain([1, 2 + 1e-10]), plain([1, 2]), { what: 'v' });
    const m = mismatch(() => expectTensorClose(plain([[1, 2], [3, 4.5]]), plain([[1, 2], [3, 4]]), { what: 'M' }));
    expect(m.message).toMatch(/^M is wrong at index \[1, 1\]: expected 4, got 4.5\./);
    expect(m.message).toContain('expected tensor[2, 2] [[1, 2],');
  });

  test('NaN never passes, an infinity only against the same infinity', () => {
    expect(() => expectTensorClose(NaN, NaN, { what: 'x' })).toThrow(Mismatch);
    expectTensorClose(Infinity, Infinity, { what: 'x' });
    expect(() => expectTensorClose(-Infinity, Infinity, { what: 'x' })).toThrow(Mismatch);
  });

  test('a tolerance of zero means exact', () => {
    expect(() => expectTensorClose(1e-300, 0, { what: 'p', tol: { abs: 0, rel: 0 } })).toThrow('expected 0, got 1e-300');
  });

  test('a non-tensor answer is named', () => {
    expect(mismatch(() => expectTensorClose({ h: 1 }, plain([1, 2]), { what: 'h1' })).message).toBe(
      'h1 should be a tensor of shape [2], but it is an object.',
    );
    expect(mismatch(() => expectTensorClose('0.5', 0.5, { what: 'P' })).message).toBe(
      'P should be a number or a one-element tensor, but it is the string "0.5".',
    );
  });
});

describe('expectShape', () => {
  test('returns the answer as a tensor; a scalar shape accepts a number', () => {
    expect(expectShape(2.5, [], 'P')).toEqual({ shape: [], data: Float64Array.of(2.5) });
    expect(() => expectShape(plain([[1, 2, 3]]), [3, 1], 'out')).toThrow('out should have shape [3, 1], but it has shape [1, 3].');
  });
});

describe('expectWithinInterval', () => {
  const bounds = [plain([0, 0]), plain([0.5, -0.25])];
  test('anything between the bounds passes, elementwise, whichever bound is lower', () => {
    expectWithinInterval(plain([0.5, -0.25]), bounds, { what: 'g' });
    expectWithinInterval(plain([0.2, -0.1]), bounds, { what: 'g' });
    expectWithinInterval(plain([0, 0]), bounds, { what: 'g' });
  });
  test('outside fails with the interval in the message', () => {
    expect(mismatch(() => expectWithinInterval(plain([0.75, 0]), bounds, { what: 'g' })).message).toBe(
      'g is wrong at index [0]: expected a value in [0, 0.5], got 0.75.',
    );
  });
  test('equal bounds ask for that value', () => {
    expect(mismatch(() => expectWithinInterval(1, [2, 2], { what: 'dL/dU' })).message).toBe('dL/dU is wrong: expected 2, got 1.');
  });
});

describe('expectSame', () => {
  test('identical answers pass; any difference says state is kept', () => {
    expectSame(plain([1, 2]), plain([1, 2]), 'f(x)');
    expect(() => expectSame(plain([1, 2 + 2 ** -40]), plain([1, 2]), 'f(x)')).toThrow('your code keeps state between calls');
  });
});

describe('renderPlain', () => {
  test('tensors show their shape and values; one small enough to copy (256 values) in full, a longer one elided in the middle', () => {
    expect(renderPlain(plain([[1, 0.5], [-2, 1 / 3]]))).toBe('tensor[2, 2] [[1, 0.5],\n  [-2, 0.3333333333]]');
    expect(renderPlain(plain(Array.from({ length: 20 }, (_, i) => i)))).toBe(`tensor[20] [${Array.from({ length: 20 }, (_, i) => i).join(', ')}]`);
    const square = renderPlain(plain(Array.from({ length: 16 }, (_, i) => Array.from({ length: 16 }, (_, j) => 16 * i + j))));
    expect(square).not.toContain('...');
    expect(square.endsWith(', 255]]')).toBe(true);
    expect(renderPlain(plain(Array.from({ length: 300 }, (_, i) => i)))).toBe('tensor[300] [0, 1, 2, 3, ..., 296, 297, 298, 299]');
    expect(renderPlain({ words: [0, 1], P: plain(0.25) })).toBe('{ words: [0, 1], P: tensor[] 0.25 }');
  });
});

describe('renderCase', () => {
  const ones = (n: number) => plain(Array.from({ length: n }, () => 1));
  /** The longest vector of ones whose case's whole text still fits the bound. */
  const longestCopyable = () => {
    let n = 1;
    while (renderPlain({ x: ones(n + 1) }, { whole: true }).length <= COPYABLE_LENGTH) n++;
    return n;
  };

  test('a counterexample whose whole text fits the bound is printed whole (no "...") though it has more than 256 values; one character more and it is elided', () => {
    const n = longestCopyable();
    expect(n).toBeGreaterThan(256);
    const copyable = renderCase({ x: ones(n) });
    expect(copyable).not.toContain('...');
    expect(copyable.match(/1/g)!.length).toBeGreaterThanOrEqual(n);
    expect(renderCase({ x: ones(n + 1) })).toContain('...');
    // renderPlain alone (expected and actual values in a message) still elides past 256 values.
    expect(renderPlain(ones(n))).toContain('...');
  });

  test('whole means exact: every double reads back as itself', () => {
    const x = 0.1 + 2 ** -40;
    const text = renderCase({ U: plain([[x, 1 / 3]]), c: x });
    expect(text).toContain(String(x));
    expect(text).toContain(String(1 / 3));
    expect(renderPlain(plain([x]))).toBe('tensor[1] [0.1]');
  });
});

describe('deriveSeed', () => {
  test('a seed a property: stable, independent of the others, a valid 31-bit seed', () => {
    expect(deriveSeed(7, 'bigram', 'concatenation')).toBe(deriveSeed(7, 'bigram', 'concatenation'));
    const seeds = new Set(['a', 'b', 'c'].map((p) => deriveSeed(7, 'bigram', p)));
    expect(seeds.size).toBe(3);
    expect(deriveSeed(8, 'bigram', 'a')).not.toBe(deriveSeed(7, 'bigram', 'a'));
    for (const s of seeds) expect(s >= 0 && s < 2 ** 31 && Number.isInteger(s)).toBe(true);
  });
});

describe('defineTask', () => {
  const p = (id: string, runs = 5) => property({ id, title: id, visibility: 'public', runs, cases: fc.nat(), check: async () => {} });
  test('rejects what would break mid-grading, all problems at once', () => {
    expect(() =>
      defineTask({ id: 'no pe', title: 't', points: -1, exports: [], rules: [], properties: [p('Bad Id'), p('x', 0), p('x'), { ...p('y'), visibility: 'hidden' }] }),
    ).toThrow(
      "task 'no pe': task id 'no pe' must be letters, digits, '_' or '-', starting with a letter; points must be >= 0, got -1; a task grades at least one export; " +
        "property id 'Bad Id' must be kebab-case; property 'x': runs must be a positive integer, got 0; property id 'x' is used twice; " +
        "property 'y' is hidden: a task lists its public properties; hidden ones go in the lab's hidden module, which students never get",
    );
  });
});
