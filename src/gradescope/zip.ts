/**
 * A small zip writer and reader (PKZIP: deflate or stored, no zip64), enough for Gradescope's
 * autograder archive without a `zip` binary. Entries carry Unix modes, so `run_autograder` stays
 * executable, and a fixed timestamp, so the same files always give the same bytes.
 */
import * as zlib from 'node:zlib';

const { deflateRawSync, inflateRawSync } = zlib;

/** The CRC-32 of zip (and gzip): zlib's own from Node 20.15, this table-driven one before (engines: >=20.10). */
export const crc32: (data: Buffer) => number = (zlib as { crc32?: (data: Buffer) => number }).crc32 ?? tableCrc32;

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function tableCrc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  /** Forward slashes, no leading slash. */
  name: string;
  data: Buffer;
  /** Unix permission bits (default 0o644). */
  mode?: number;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
/** 1980-01-01 00:00, the earliest DOS date: no build time leaks into the archive. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8 = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 20;

export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (!entry.name || entry.name.startsWith('/') || entry.name.split('/').includes('..')) throw new Error(`zip: bad entry name '${entry.name}'`);
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const [method, body] = deflated.length < entry.data.length ? [8, deflated] : [0, entry.data];
    const crc = crc32(entry.data);

    // Version needed, flags, method, time, date, CRC-32, both sizes, name and extra lengths: the local
    // header after its signature, and the central one again after "made by".
    const shared: Field[] = [[2, 20], [2, UTF8], [2, method], [2, 0], [2, DOS_DATE], [4, crc], [4, body.length], [4, entry.data.length], [2, name.length], [2, 0]];
    const local = le([4, LOCAL], ...shared);
    locals.push(local, name, body);
    // Then: comment length, disk number, internal attributes, external attributes (Unix mode), local header offset.
    const unixMode = ((0o100000 | (entry.mode ?? 0o644)) << 16) >>> 0;
    const central = le([4, CENTRAL], [2, MADE_BY_UNIX], ...shared, [2, 0], [2, 0], [2, 0], [4, unixMode], [4, offset]);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  // Disk numbers, entries on this disk and in all, directory size and offset, comment length.
  const end = le([4, END], [2, 0], [2, 0], [2, entries.length], [2, entries.length], [4, directory.length], [4, offset], [2, 0]);
  return Buffer.concat([...locals, directory, end]);
}

type Field = [bytes: 2 | 4, value: number];

/** Little-endian fields one after another: the shape of every zip header. */
function le(...fields: Field[]): Buffer {
  const out = Buffer.alloc(fields.reduce((n, [bytes]) => n + bytes, 0));
  let at = 0;
  for (const [bytes, value] of fields) at = bytes === 2 ? out.writeUInt16LE(value, at) : out.writeUInt32LE(value, at);
  return out;
}

/** Reads an archive written by `zip` (or any plain deflate/stored zip); checks every CRC. */
export function unzip(archive: Buffer): ZipEntry[] {
  const endAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error('unzip: no end of central directory: not a zip archive');
  const count = archive.readUInt16LE(endAt + 10);
  let at = archive.readUInt32LE(endAt + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== CENTRAL) throw new Error(`unzip: broken central directory at byte ${at}`);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const skip = nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const mode = (archive.readUInt32LE(at + 38) >>> 16) & 0o7777;
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    const local = archive.readUInt32LE(at + 42);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const body = archive.subarray(start, start + size);
    if (method !== 0 && method !== 8) throw new Error(`unzip: '${name}' uses compression method ${method}`);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    if (crc32(data) !== crc) throw new Error(`unzip: '${name}' fails its CRC check`);
    entries.push({ name, data, mode: mode || 0o644 });
    at += 46 + skip;
  }
  return entries;
}
