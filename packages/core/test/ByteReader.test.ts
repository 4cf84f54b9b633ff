import { describe, expect, it } from 'vitest';
import { ByteReader } from '../src/index.js';

describe('ByteReader', () => {
  // A tkhd-like run of fields: u8 version, u24 flags, u32, u64, fourcc, i16 little-endian.
  const bytes = Uint8Array.from([
    0x01, // version
    0x00,
    0x00,
    0x07, // flags = 7
    0xde,
    0xad,
    0xbe,
    0xef, // u32
    0x00,
    0x00,
    0x00,
    0x01,
    0x00,
    0x00,
    0x00,
    0x00, // u64 = 2^32
    0x73,
    0x74,
    0x73,
    0x7a, // 'stsz'
    0xfe,
    0xff, // i16le = -2
  ]);

  it('reads big- and little-endian fields in order, with absolute offsets', () => {
    const reader = new ByteReader(bytes, { baseOffset: 0x1000 });
    expect(reader.u8()).toBe(1);
    expect(reader.u24()).toBe(7);
    expect(reader.u32()).toBe(0xdeadbeef);
    expect(reader.offset).toBe(0x1008);
    expect(reader.u64()).toBe(2n ** 32n);
    expect(reader.fourcc()).toBe('stsz');
    expect(reader.i16le()).toBe(-2);
    expect(reader.remaining).toBe(0);
  });

  it('reads 64-bit values above 2^53 exactly as bigint, and refuses them as numbers', () => {
    const big = new ByteReader(Uint8Array.from([0x00, 0x20, 0, 0, 0, 0, 0, 1])); // 2^53 + 1
    expect(big.u64()).toBe(2n ** 53n + 1n);
    expect(() => big.seek(0).u64Number()).toThrow(RangeError);
    expect(new ByteReader(Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 0])).u64Number()).toBe(256);
  });

  it("names the absolute offset, the bytes needed and those left on a short read, through the caller's factory", () => {
    const reader = new ByteReader(bytes.subarray(0, 6), {
      baseOffset: 0x1f36,
      onShortRead: ({ offset, needed, available }) =>
        new Error(`moov/trak[1]/stsz @ 0x${offset.toString(16)}: needs ${needed} bytes, ${available} left`),
    });
    reader.u32();
    expect(() => reader.u32()).toThrow('moov/trak[1]/stsz @ 0x1f3a: needs 4 bytes, 2 left');
    // A failed read consumes nothing.
    expect(reader.position).toBe(4);
    expect(reader.u16()).toBe(0xdead);
  });

  it('hands out sub-readers that keep absolute offsets and cannot read past their end', () => {
    const reader = new ByteReader(bytes, { baseOffset: 100 });
    reader.skip(4);
    const sub = reader.sub(4);
    expect(reader.offset).toBe(108);
    expect(sub.baseOffset).toBe(104);
    expect(sub.u32()).toBe(0xdeadbeef);
    expect(() => sub.u8()).toThrow('at 0x6c: needs 1 bytes, 0 left');
  });

  it('returns views, not copies, and reads text', () => {
    const text = new ByteReader(new TextEncoder().encode('\u00a9too\0rest'));
    const view = text.bytesView(2);
    expect(view.buffer).toBe(text.bytes.buffer);
    text.seek(0);
    expect(text.cstring()).toBe('\u00a9too');
    expect(text.utf8(4)).toBe('rest');
    expect(new ByteReader(Uint8Array.from([0xa9, 0x6e, 0x61, 0x6d])).fourcc()).toBe('\u00a9nam');
  });

  it('rejects negative and out-of-range lengths without allocating', () => {
    const reader = new ByteReader(bytes);
    expect(() => reader.bytesView(-1)).toThrow('needs -1 bytes');
    expect(() => reader.sub(2 ** 31)).toThrow(`needs ${2 ** 31} bytes, ${bytes.length} left`);
    expect(() => reader.seek(bytes.length + 1)).toThrow(RangeError);
  });
});
