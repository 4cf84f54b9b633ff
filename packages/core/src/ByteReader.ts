/** What a read that ran past the end knew; a caller's factory turns it into its own error. */
export interface ShortRead {
  /** Absolute offset of the read (in the file, not in this reader's bytes). */
  offset: number;
  /** Bytes the read needed. */
  needed: number;
  /** Bytes that were left. */
  available: number;
}

/** Turns a short read into the caller's error (`BoxParseError` with the box path, ...). */
export type ShortReadFactory = (read: ShortRead) => Error;

const defaultShortRead: ShortReadFactory = ({ offset, needed, available }) =>
  new RangeError(`at 0x${offset.toString(16)}: needs ${needed} bytes, ${available} left`);

const utf8 = new TextDecoder('utf-8', { fatal: false });
const latin1 = new TextDecoder('latin1');

/**
 * One bounds-checked big/little-endian reader over bytes in memory. Every
 * read checks its range first and, when short, throws what `onShortRead`
 * builds (so a box parser can say `moov/trak[1]/.../stsz @ 0x1f3a: needs 4
 * bytes, 2 left`). Offsets it reports are absolute: `baseOffset` is where
 * `bytes` start in the file. Reads allocate nothing but what they return
 * (`bytes()` and `sub()` return views).
 */
export class ByteReader {
  // TypeScript `private`, not `#`: before V8's top tier each `#field` access is a keyed load by a
  // private symbol (KeyedLoadIC), several times the cost of a named one; every box decoder reads here.
  readonly bytes: Uint8Array;
  readonly baseOffset: number;
  private readonly view: DataView;
  private readonly onShortRead: ShortReadFactory;
  private cursor = 0;

  constructor(bytes: Uint8Array, options: { baseOffset?: number; onShortRead?: ShortReadFactory } = {}) {
    this.bytes = bytes;
    this.baseOffset = options.baseOffset ?? 0;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.onShortRead = options.onShortRead ?? defaultShortRead;
  }

  get length(): number {
    return this.bytes.length;
  }
  /** Position within `bytes`. */
  get position(): number {
    return this.cursor;
  }
  /** Absolute offset of the next read. */
  get offset(): number {
    return this.baseOffset + this.cursor;
  }
  get remaining(): number {
    return this.bytes.length - this.cursor;
  }

  /** Moves to `position` within `bytes` (0 <= position <= length). */
  seek(position: number): this {
    if (!(position >= 0 && position <= this.bytes.length)) {
      throw this.onShortRead({
        offset: this.baseOffset + position,
        needed: Math.max(0, position - this.cursor),
        available: this.remaining,
      });
    }
    this.cursor = position;
    return this;
  }

  skip(count: number): this {
    this.take(count);
    return this;
  }

  /** Throws unless `count` bytes are left. */
  need(count: number): this {
    if (count > this.remaining || count < 0) {
      throw this.onShortRead({ offset: this.offset, needed: count, available: this.remaining });
    }
    return this;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  i8(): number {
    return this.view.getInt8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2));
  }
  i16(): number {
    return this.view.getInt16(this.take(2));
  }
  u24(): number {
    const at = this.take(3);
    return (this.view.getUint16(at) << 8) | this.view.getUint8(at + 2);
  }
  u32(): number {
    return this.view.getUint32(this.take(4));
  }
  i32(): number {
    return this.view.getInt32(this.take(4));
  }
  u64(): bigint {
    return this.view.getBigUint64(this.take(8));
  }
  i64(): bigint {
    return this.view.getBigInt64(this.take(8));
  }
  /** A 64-bit unsigned value as a number; a `RangeError` above 2^53 (use `u64()` where that can happen). */
  u64Number(): number {
    const at = this.offset;
    const value = this.u64();
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`at 0x${at.toString(16)}: 64-bit value ${value} is above 2^53`);
    }
    return Number(value);
  }
  u16le(): number {
    return this.view.getUint16(this.take(2), true);
  }
  i16le(): number {
    return this.view.getInt16(this.take(2), true);
  }
  u32le(): number {
    return this.view.getUint32(this.take(4), true);
  }
  i32le(): number {
    return this.view.getInt32(this.take(4), true);
  }
  u64le(): bigint {
    return this.view.getBigUint64(this.take(8), true);
  }

  /** Four bytes as Latin-1 characters (a box type or codec fourcc, `©` included). */
  fourcc(): string {
    const at = this.take(4);
    const b = this.bytes;
    return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
  }

  /** `count` bytes as a view (no copy): it changes if the underlying bytes do. */
  bytesView(count: number): Uint8Array {
    const at = this.take(count);
    return this.bytes.subarray(at, at + count);
  }

  /** `count` bytes as UTF-8 text (invalid sequences become U+FFFD). */
  utf8(count: number): string {
    return utf8.decode(this.bytesView(count));
  }

  /** `count` bytes as Latin-1 text. */
  latin1(count: number): string {
    return latin1.decode(this.bytesView(count));
  }

  /** UTF-8 text up to a NUL (consumed) or the end of the bytes, whichever comes first. */
  cstring(): string {
    const end = this.bytes.indexOf(0, this.cursor);
    const text = utf8.decode(this.bytes.subarray(this.cursor, end === -1 ? this.bytes.length : end));
    this.cursor = end === -1 ? this.bytes.length : end + 1;
    return text;
  }

  /** A reader over the next `count` bytes (consumed here), with the same short-read factory. */
  sub(count: number, onShortRead: ShortReadFactory = this.onShortRead): ByteReader {
    const at = this.take(count);
    return new ByteReader(this.bytes.subarray(at, at + count), {
      baseOffset: this.baseOffset + at,
      onShortRead,
    });
  }

  private take(count: number): number {
    const at = this.cursor;
    if (count > this.bytes.length - at || count < 0) {
      throw this.onShortRead({
        offset: this.baseOffset + at,
        needed: count,
        available: this.bytes.length - at,
      });
    }
    this.cursor = at + count;
    return at;
  }
}
