import type { ByteReader } from '@rec/core';
import type { Uint64, Uint64Array } from '../Box.js';
import type { DecodeContext } from '../BoxDecoder.js';

/** Field readers every box decoder shares, on core's bounds-checked `ByteReader`. */

/** FullBox (ISO/IEC 14496-12 4.2.2): unsigned int(8) version, bit(24) flags. */
export function readFullBox(reader: ByteReader): { version: number; flags: number } {
  const version = reader.u8(); // version
  const flags = reader.u24(); // flags
  return { version, flags };
}

/** An unsigned int(64): a number when it fits in 2^53, else the bigint. */
export function readUint64(reader: ByteReader): Uint64 {
  const value = reader.u64();
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** A signed int(64): a number when it fits in +-2^53, else the bigint. */
export function readInt64(reader: ByteReader): number | bigint {
  const value = reader.i64();
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/** 32 bits (version 0) or 64 bits (version 1), as the v0/v1 boxes of 14496-12 hold times and durations. */
export function readUintV(reader: ByteReader, version: number): Uint64 {
  return version === 1 ? readUint64(reader) : reader.u32();
}

/**
 * `count` unsigned int(32) (`bytesEach` 4) or int(64) (8) values as a
 * `Uint64Array`: numbers in a `Float64Array`, switching to a
 * `BigUint64Array` at the first value above 2^53 - 1 so that none loses its
 * low bits. The caller has checked the count against the box (`needEntries`).
 */
export function readUint64Array(reader: ByteReader, count: number, bytesEach: 4 | 8): Uint64Array {
  const numbers = new Float64Array(count);
  if (bytesEach === 4) {
    for (let i = 0; i < count; i++) numbers[i] = reader.u32();
    return numbers;
  }
  for (let i = 0; i < count; i++) {
    const high = reader.u32();
    const low = reader.u32();
    if (high <= 0x1fffff) {
      numbers[i] = high * 0x100000000 + low; // below 2^53: exact as a double
      continue;
    }
    const exact = new BigUint64Array(count);
    for (let j = 0; j < i; j++) exact[j] = BigInt(numbers[j]!);
    exact[i] = (BigInt(high) << 32n) | BigInt(low);
    for (let j = i + 1; j < count; j++) exact[j] = reader.u64();
    return exact;
  }
  return numbers;
}

/** An IEEE 754 double, big-endian (QuickTime's sound description version 2 sample rate). */
export function readFloat64(reader: ByteReader): number {
  const bytes = reader.bytesView(8);
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0);
}

/** A signed 16.16 fixed-point number (14496-12 6.2.2, `template int(32)` rate, width, matrix a..y). */
export const readFixed16_16 = (reader: ByteReader): number => reader.i32() / 0x10000;
/** An unsigned 16.16 fixed-point number (tkhd width/height, sample entry samplerate). */
export const readUfixed16_16 = (reader: ByteReader): number => reader.u32() / 0x10000;
/** A signed 2.30 fixed-point number (the matrix's u, v, w). */
export const readFixed2_30 = (reader: ByteReader): number => reader.i32() / 0x40000000;
/** A signed 8.8 fixed-point number (volume, balance). */
export const readFixed8_8 = (reader: ByteReader): number => reader.i16() / 0x100;

/** `count` bytes, copied (a decoded box must not hold on to the read buffer it came from). */
export const readBytes = (reader: ByteReader, count: number): Uint8Array => reader.bytesView(count).slice();

/** The rest of the body, copied. */
export const readRest = (reader: ByteReader): Uint8Array => readBytes(reader, reader.remaining);

/**
 * Checks that `count` entries of `bytesEach` bytes fit in what is left of
 * the box before any array is built: a corrupt entry_count of 2^32 is an
 * error naming the field, never a 40 GB allocation.
 */
export function needEntries(
  reader: ByteReader,
  context: DecodeContext,
  count: number,
  bytesEach: number,
  field = 'entry_count',
): void {
  const needed = count * bytesEach;
  if (needed > reader.remaining) {
    throw context.fail(`${field} ${count} needs ${needed} bytes, ${reader.remaining} left`, {
      offset: reader.offset,
    });
  }
}

/** A 9-value transformation matrix (14496-12 8.2.2.3): a, b, u, c, d, v, x, y, w; u, v, w are 2.30, the rest 16.16. */
export function readMatrix(reader: ByteReader): number[] {
  const matrix: number[] = [];
  for (let i = 0; i < 9; i++) matrix.push(i % 3 === 2 ? readFixed2_30(reader) : readFixed16_16(reader));
  return matrix;
}

/**
 * ISO-639-2/T language code packed as three 5-bit letters (14496-12 8.4.2.3:
 * bit(1) pad, unsigned int(5)[3] language, each the character minus 0x60).
 */
export function unpackLanguage(packed: number): string {
  return String.fromCharCode(
    ((packed >> 10) & 0x1f) + 0x60,
    ((packed >> 5) & 0x1f) + 0x60,
    (packed & 0x1f) + 0x60,
  );
}

/** Hex digits of `bytes` (lowercase, no separators). */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Whether two byte arrays hold the same bytes (a decoded field against its canonical encoding). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
