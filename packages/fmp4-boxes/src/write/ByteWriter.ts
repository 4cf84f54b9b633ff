import type { Uint64 } from '../Box.js';

const utf8 = new TextEncoder();

/**
 * A growable big-endian byte buffer for box writers: the mirror of core's
 * `ByteReader`. Values out of a field's range are a `RangeError` (a caller
 * building a box with a 70000 in a 16-bit field), never silently wrapped.
 */
export class ByteWriter {
  #bytes = new Uint8Array(256);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  #grow(count: number): number {
    const at = this.#length;
    if (at + count > this.#bytes.length) {
      let size = this.#bytes.length * 2;
      while (size < at + count) size *= 2;
      const bigger = new Uint8Array(size);
      bigger.set(this.#bytes.subarray(0, at));
      this.#bytes = bigger;
      this.#view = new DataView(bigger.buffer);
    }
    this.#length = at + count;
    return at;
  }

  u8(value: number): this {
    const at = this.#grow(1); // grow first: it may replace the buffer
    this.#view.setUint8(at, check(value, 0, 0xff, 8));
    return this;
  }
  i8(value: number): this {
    const at = this.#grow(1); // grow first: it may replace the buffer
    this.#view.setInt8(at, check(value, -0x80, 0x7f, 8));
    return this;
  }
  u16(value: number): this {
    const at = this.#grow(2); // grow first: it may replace the buffer
    this.#view.setUint16(at, check(value, 0, 0xffff, 16));
    return this;
  }
  i16(value: number): this {
    const at = this.#grow(2); // grow first: it may replace the buffer
    this.#view.setInt16(at, check(value, -0x8000, 0x7fff, 16));
    return this;
  }
  u24(value: number): this {
    check(value, 0, 0xffffff, 24);
    const at = this.#grow(3);
    this.#view.setUint16(at, value >>> 8);
    this.#view.setUint8(at + 2, value & 0xff);
    return this;
  }
  u32(value: number): this {
    const at = this.#grow(4); // grow first: it may replace the buffer
    this.#view.setUint32(at, check(value, 0, 0xffffffff, 32));
    return this;
  }
  i32(value: number): this {
    const at = this.#grow(4); // grow first: it may replace the buffer
    this.#view.setInt32(at, check(value, -0x80000000, 0x7fffffff, 32));
    return this;
  }
  u64(value: Uint64): this {
    const big = BigInt(value);
    if (big < 0n || big > 0xffffffffffffffffn)
      throw new RangeError(`${value} does not fit in 64 unsigned bits`);
    const at = this.#grow(8); // grow first: it may replace the buffer
    this.#view.setBigUint64(at, big);
    return this;
  }
  i64(value: number | bigint): this {
    const big = BigInt(value);
    if (big < -(2n ** 63n) || big >= 2n ** 63n)
      throw new RangeError(`${value} does not fit in 64 signed bits`);
    const at = this.#grow(8); // grow first: it may replace the buffer
    this.#view.setBigInt64(at, big);
    return this;
  }
  /** 32 bits in version 0, 64 in version 1. */
  uintV(value: Uint64, version: number): this {
    return version === 1 ? this.u64(value) : this.u32(Number(value));
  }
  f64(value: number): this {
    const at = this.#grow(8); // grow first: it may replace the buffer
    this.#view.setFloat64(at, value);
    return this;
  }
  /** A real number as signed 16.16 fixed point. */
  fixed16_16(value: number): this {
    return this.i32(Math.round(value * 0x10000));
  }
  ufixed16_16(value: number): this {
    return this.u32(Math.round(value * 0x10000));
  }
  fixed2_30(value: number): this {
    return this.i32(Math.round(value * 0x40000000));
  }
  fixed8_8(value: number): this {
    return this.i16(Math.round(value * 0x100));
  }
  /** Four Latin-1 characters. */
  fourcc(text: string): this {
    if (text.length !== 4) throw new RangeError(`a four-character code, got "${text}"`);
    for (let i = 0; i < 4; i++) this.u8(text.charCodeAt(i));
    return this;
  }
  /** 32 hex digits as 16 bytes (a uuid, a key or system id). */
  hex16(hex: string): this {
    if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`32 hex digits, got "${hex}"`);
    for (let i = 0; i < 32; i += 2) this.u8(Number.parseInt(hex.slice(i, i + 2), 16));
    return this;
  }
  bytes(bytes: Uint8Array): this {
    const at = this.#grow(bytes.length);
    this.#bytes.set(bytes, at);
    return this;
  }
  /** UTF-8 text, no terminator. */
  utf8(text: string): this {
    return this.bytes(utf8.encode(text));
  }
  /** UTF-8 text and a NUL. */
  cstring(text: string): this {
    return this.utf8(text).u8(0);
  }
  zeros(count: number): this {
    this.#grow(count); // the buffer only grows: bytes past the written length are still zero
    return this;
  }

  /** Overwrites a 32-bit field written earlier (a box size). */
  setU32(at: number, value: number): this {
    this.#view.setUint32(at, check(value, 0, 0xffffffff, 32));
    return this;
  }
  setU64(at: number, value: number): this {
    this.#view.setBigUint64(at, BigInt(value));
    return this;
  }

  /** A copy of what was written. */
  toBytes(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }
}

function check(value: number, min: number, max: number, bits: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${value} does not fit in a ${bits}-bit field`);
  }
  return value;
}

/** Writes bit fields MSB first, the mirror of `BitReader` (whole bytes at the end). */
export class BitWriter {
  readonly #writer: ByteWriter;
  #byte = 0;
  #used = 0;

  constructor(writer: ByteWriter) {
    this.#writer = writer;
  }

  bits(count: number, value: number): this {
    if (value < 0 || value >= 2 ** count || !Number.isInteger(value)) {
      throw new RangeError(`${value} does not fit in ${count} bits`);
    }
    for (let i = count - 1; i >= 0; i--) {
      this.#byte = (this.#byte << 1) | (Math.floor(value / 2 ** i) & 1);
      this.#used++;
      if (this.#used === 8) {
        this.#writer.u8(this.#byte);
        this.#byte = 0;
        this.#used = 0;
      }
    }
    return this;
  }

  /** Pads the last byte with zero bits. */
  flush(): void {
    if (this.#used > 0) this.bits(8 - this.#used, 0);
  }
}
