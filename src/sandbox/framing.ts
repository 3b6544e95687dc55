/**
 * Messages between the grader and the sandboxed child: each frame is a 4-byte big-endian length,
 * then that many bytes of `v8.serialize`. Frames travel on a dedicated pipe (fd 3), never on
 * stdout/stderr, which student code can write to. A frame over the size cap is refused before its
 * bytes are buffered, so a hostile child cannot make the grader hold more than the cap.
 */
import { serialize } from 'node:v8';

const HEADER = 4;

/** The largest message either side accepts by default (8 MiB: far above any lab tensor). */
export const DEFAULT_MAX_FRAME = 8 * 2 ** 20;

export class FramingError extends Error {
  override name = 'FramingError';
}

/** One value as a frame. Throws what `v8.serialize` throws (functions, proxies, symbols...). */
export function encodeFrame(value: unknown): Buffer {
  const payload = serialize(value);
  const header = Buffer.alloc(HEADER);
  header.writeUInt32BE(payload.length);
  return Buffer.concat([header, payload]);
}

/** Cuts a byte stream into frame payloads (still serialized: deserializing is the reader's choice). */
export class FrameDecoder {
  private buffered: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxFrame = DEFAULT_MAX_FRAME) {}

  /** Takes the next chunk and returns every payload it completes. Throws FramingError on an oversized frame. */
  push(chunk: Buffer): Buffer[] {
    this.buffered.push(chunk);
    this.size += chunk.length;
    const payloads: Buffer[] = [];
    while (this.size >= HEADER) {
      const length = (this.buffered[0]!.length >= HEADER ? this.buffered[0]! : this.joined()).readUInt32BE(0);
      if (length > this.maxFrame) throw new FramingError(`a message of ${length} bytes is over the ${this.maxFrame}-byte cap`);
      if (this.size < HEADER + length) break;
      const all = this.joined();
      payloads.push(all.subarray(HEADER, HEADER + length));
      this.buffered = [all.subarray(HEADER + length)];
      this.size -= HEADER + length;
    }
    return payloads;
  }

  /** The buffered chunks as one (once per frame, not per chunk: large frames stay linear). */
  private joined(): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    this.buffered = [all];
    return all;
  }
}
