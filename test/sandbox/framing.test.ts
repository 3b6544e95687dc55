import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FramingError } from '../../src/sandbox/framing.ts';
import { deserialize } from 'node:v8';

const message = { id: 7, ok: true, value: { shape: [2], data: new Float64Array([0.5, -1]) } };

describe('frames', () => {
  it('round-trips a value, however the bytes are cut', () => {
    const bytes = Buffer.concat([encodeFrame(message), encodeFrame('second')]);
    for (const cut of [1, 3, 4, 5, bytes.length - 1, bytes.length]) {
      const decoder = new FrameDecoder();
      const payloads = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
      expect(payloads.map((p) => deserialize(p))).toEqual([message, 'second']);
    }
  });

  it('delivers a frame only once its last byte arrived', () => {
    const frame = encodeFrame([1, 2, 3]);
    const decoder = new FrameDecoder();
    for (const byte of frame.subarray(0, -1)) expect(decoder.push(Buffer.from([byte]))).toEqual([]);
    expect(decoder.push(frame.subarray(-1)).map((p) => deserialize(p))).toEqual([[1, 2, 3]]);
  });

  it('prefixes the payload with its length, big-endian', () => {
    const frame = encodeFrame('ab');
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
  });

  it('refuses a frame over the cap from its header alone', () => {
    const decoder = new FrameDecoder(100);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(101);
    expect(() => decoder.push(header)).toThrow(new FramingError('a message of 101 bytes is over the 100-byte cap'));
    expect(new FrameDecoder(100).push(Buffer.concat([Buffer.from([0, 0, 0, 100]), Buffer.alloc(100)]))).toHaveLength(1);
  });

  it('refuses what v8.serialize refuses (functions, symbols)', () => {
    expect(() => encodeFrame({ f: () => 1 })).toThrow();
    expect(() => encodeFrame(Symbol('s'))).toThrow();
  });
});
