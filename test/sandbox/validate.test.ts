import { describe, expect, it } from 'vitest';
import { deserialize, serialize } from 'node:v8';
import { StudentError } from '../../src/sandbox/protocol.ts';
import { checkResponse, plainCopy } from '../../src/sandbox/validate.ts';

const refusal = (value: unknown) => {
  try {
    plainCopy(value);
  } catch (error) {
    expect(error).toBeInstanceOf(StudentError);
    expect((error as StudentError).kind).toBe('bad-value');
    return (error as StudentError).message;
  }
  throw new Error('accepted');
};

describe('plainCopy', () => {
  it('copies plain data and shares nothing with it', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const value = { t: { shape: [2, 3], data }, xs: [1, 'a', true, null, [NaN, -Infinity]], empty: {} };
    const copy = plainCopy(value) as typeof value;
    expect(copy).toEqual(value);
    expect(copy.t.data).not.toBe(data);
    data[0] = 99;
    expect(copy.t.data[0]).toBe(1);
  });

  it('names what it refuses and where', () => {
    expect(refusal({ h1: { a: [1, new Map()] } })).toBe(
      'the result.h1.a[1] is a Map, which is not plain data (numbers, arrays, plain objects, tensors)',
    );
  });

  it.each([
    ['a boxed number', Object(1.5), 'a Number'],
    ['a Map', new Map([[1, 2]]), 'a Map'],
    ['a Set', new Set([1]), 'a Set'],
    ['an Error', new Error('x'), 'a Error'],
    ['a Date', new Date(0), 'a Date'],
    ['a BigInt', 10n, 'a bigint'],
    ['undefined', undefined, 'undefined'],
    ['a symbol', Symbol('s'), 'a symbol'],
    ['a function', () => 1, 'a function'],
    ['a Proxy', new Proxy({}, {}), 'a Proxy'],
    ['a Proxy of an array', new Proxy([1], {}), 'a Proxy'],
    ['a Uint8Array', new Uint8Array(2), 'a Uint8Array'],
    ['a Float32Array', new Float32Array(2), 'a Float32Array'],
    ['a Float64Array outside a tensor', new Float64Array(2), 'a Float64Array'],
    ['a Float64Array subclass', new (class Lying extends Float64Array {})(2), 'a Lying'],
    ['an Array subclass', new (class Items extends Array {})(), 'a Items'],
    ['a null-prototype object', Object.create(null), 'an object of unknown type'],
  ])('refuses %s', (_, value, named) => {
    expect(refusal(value)).toBe(`the result is ${named}, which is not plain data (numbers, arrays, plain objects, tensors)`);
  });

  it('refuses getters and setters without running them', () => {
    let ran = false;
    const getter = Object.defineProperty({}, 'shape', { get: () => ((ran = true), [1]), enumerable: true });
    expect(refusal(getter)).toBe('the result.shape is a getter or setter, not plain data');
    expect(refusal(Object.defineProperty([1], '0', { get: () => ((ran = true), 1) }))).toBe('the result.0 is a getter or setter, not plain data');
    expect(ran).toBe(false);
  });

  it('refuses sparse arrays and arrays with extra properties', () => {
    expect(refusal(Object.assign([], { length: 2 ** 32 - 1 }))).toBe('the result is an array with holes or extra properties');
    expect(refusal(Object.assign([1, 2], { extra: 3 }))).toBe('the result is an array with holes or extra properties');
    const holeAndExtra = Object.assign([1, , 3], { extra: 4 }); // as many keys as a dense array
    expect(refusal(holeAndExtra)).toBe('the result is an array with holes or extra properties');
  });

  it('refuses __proto__ and symbol keys', () => {
    expect(refusal(JSON.parse('{"__proto__": {"ok": true}}'))).toBe('the result has a forbidden key __proto__');
    expect(refusal({ [Symbol.iterator]: 1 })).toBe('the result has a forbidden key Symbol(Symbol.iterator)');
  });

  it('checks that a tensor is exactly { shape, data } with a matching size', () => {
    expect(refusal({ shape: [1], data: new (class Lying extends Float64Array {})(1) })).toBe(
      'the result.data is a Lying, which is not plain data (numbers, arrays, plain objects, tensors)',
    );
    expect(refusal({ shape: [3], data: new Float64Array(2) })).toBe('the result has shape [3] but 2 values');
    expect(refusal({ shape: [-1, -2], data: new Float64Array(2) })).toBe('the result has shape [-1,-2], not a list of sizes');
    expect(refusal({ shape: [1], data: new Float64Array(1), grad: null })).toBe('the result is a tensor that is not exactly { shape, data }');
    expect(plainCopy({ shape: [], data: new Float64Array([2]) })).toEqual({ shape: [], data: new Float64Array([2]) });
    expect(plainCopy({ shape: [0, 3], data: new Float64Array(0) })).toEqual({ shape: [0, 3], data: new Float64Array(0) });
  });

  it('refuses values nested deeper than 16 levels', () => {
    const nest = (levels: number): unknown => (levels === 0 ? 1 : [nest(levels - 1)]);
    expect(plainCopy(nest(16))).toEqual(nest(16));
    expect(refusal(nest(17))).toBe(`the result${'[0]'.repeat(16)} is nested more than 16 levels deep`);
  });

  it('refuses what structured clone lets through (boxed numbers, Map, Error, BigInt)', () => {
    for (const value of [Object(2), new Map(), new Error('e'), 3n, new Uint8Array(1)]) refusal(deserialize(serialize(value)));
  });
});

describe('checkResponse', () => {
  const kindOf = (message: unknown, id = 1) => {
    try {
      checkResponse(message, id);
      return 'accepted';
    } catch (error) {
      return (error as StudentError).kind;
    }
  };

  it('accepts an answer to the request asked, and copies its value', () => {
    const value = { shape: [1], data: new Float64Array([3]) };
    const response = checkResponse({ id: 4, ok: true, value }, 4);
    expect(response).toEqual({ id: 4, ok: true, value });
    expect(response.ok && response.value).not.toBe(value);
    expect(checkResponse({ id: 4, ok: false, failure: { kind: 'threw', message: 'x' } }, 4)).toEqual({
      id: 4,
      ok: false,
      failure: { kind: 'threw', message: 'x' },
    });
  });

  it('truncates a failure message to 2000 characters', () => {
    const response = checkResponse({ id: 1, ok: false, failure: { kind: 'threw', message: 'x'.repeat(5000) } }, 1);
    expect(!response.ok && response.failure.message.length).toBe(2000);
  });

  it('calls a broken envelope a protocol failure and a bad value bad-value', () => {
    expect(kindOf({ id: 2, ok: true, value: 1 })).toBe('protocol');
    expect(kindOf(null)).toBe('protocol');
    expect(kindOf([1])).toBe('protocol');
    expect(kindOf(new Map())).toBe('protocol');
    expect(kindOf({ id: 1, ok: 'yes', value: 1 })).toBe('protocol');
    expect(kindOf({ id: 1, ok: false, failure: { kind: 'exploded', message: 'x' } })).toBe('protocol');
    expect(kindOf({ id: 1, ok: false, failure: { kind: 'threw', message: 7 } })).toBe('protocol');
    expect(kindOf({ id: 1, ok: true, value: new Map() })).toBe('bad-value');
    expect(kindOf({ id: 1, ok: true })).toBe('bad-value');
  });
});
