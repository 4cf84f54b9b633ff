import { EsParseError, EsParseErrorCode } from '../EsParseError.js';
import { findStartCode } from './findStartCode.js';

/** Where one NAL unit lies: `data[offset, offset + length)`; `position` is its offset in the whole input. */
export interface NalPosition {
  data: Uint8Array;
  offset: number;
  length: number;
  /** Byte offset of the NAL's first byte in the whole input. */
  position: number;
}

export interface AnnexBScannerOptions {
  /** Most bytes allowed before the first start code (default 64 KiB); more is not an Annex-B stream. */
  maxLeadingBytes?: number;
  /** Largest NAL unit accepted (default 64 MiB), so garbage cannot grow memory without bound. */
  maxNalSize?: number;
  /**
   * A NAL unit that spans chunks is returned as a view of the scanner's own
   * buffer, valid until the next `push`/`flush` (default: a fresh copy, valid
   * for good). For pipelines that use each NAL before pushing more.
   */
  reuseMemory?: boolean;
  source?: string | undefined;
}

/**
 * Streaming byte stream format parser (ITU-T H.264 / H.265 Annex B.2):
 * splits chunks into NAL units at 3- and 4-byte start codes and drops
 * leading_zero_8bits / trailing_zero_8bits. A NAL inside one chunk is
 * returned as a view of it (no copy). The scanner keeps no reference to a
 * chunk after `push` returns: the unfinished NAL at its end is copied into
 * the scanner's own buffer, so the caller may reuse the chunk's memory (once
 * it is done with the views `push` returned).
 */
export class AnnexBScanner {
  readonly #maxLeading: number;
  readonly #maxNal: number;
  readonly #reuse: boolean;
  readonly #source: string | undefined;
  /** Input bytes seen before the current chunk. */
  #consumed = 0;
  /** A start code has been seen; `#carry` holds the start of the NAL after it. */
  #inNal = false;
  /**
   * Bytes from earlier chunks: the unfinished NAL, or (before the first start
   * code) the last two bytes, which may begin a start code.
   */
  #carry: Uint8Array = new Uint8Array(0);
  #carryLength = 0;
  /** With `reuseMemory`: the carry buffer handed out last push, swapped with `#carry`. */
  #spare: Uint8Array = new Uint8Array(0);
  #nalPosition = 0;
  /** Bytes skipped before the first start code. */
  leadingBytes = 0;

  constructor(options: AnnexBScannerOptions = {}) {
    this.#maxLeading = options.maxLeadingBytes ?? 64 * 1024;
    this.#maxNal = options.maxNalSize ?? 64 * 1024 * 1024;
    this.#reuse = options.reuseMemory ?? false;
    this.#source = options.source;
  }

  /** Bytes pushed so far. */
  get bytesIn(): number {
    return this.#consumed;
  }

  /** True when `buffer` is one of the scanner's own (NALs spanning chunks in `reuseMemory` mode). */
  owns(buffer: ArrayBufferLike): boolean {
    return buffer === this.#carry.buffer || buffer === this.#spare.buffer;
  }

  /** Every NAL unit that `chunk` completes, in order. */
  push(chunk: Uint8Array, out: NalPosition[] = []): NalPosition[] {
    const n = chunk.length;
    if (n === 0) return out;
    let pos = 0;
    // A start code may straddle the chunk boundary: 00 | 00 01 or 00 00 | 01.
    const t1 = this.#tailByte(1);
    let straddle = -1;
    if (t1 === 0) {
      if (chunk[0] === 1 && this.#tailByte(2) === 0) straddle = 0;
      else if (n > 1 && chunk[0] === 0 && chunk[1] === 1) straddle = 1;
    }
    if (straddle >= 0) {
      // The start code's zero bytes already sit in the carry: trailing zeros of that NAL.
      if (this.#inNal) this.#endPending(out, chunk, 0, 0);
      pos = straddle + 1;
      this.#beginNal(this.#consumed + pos);
    }
    for (;;) {
      const sc = findStartCode(chunk, pos);
      if (sc < 0) {
        if (this.#inNal) this.#append(chunk, pos, n);
        else {
          this.#leading(n - pos);
          // Keep the last bytes: a start code may begin here and end in the next chunk.
          const keep = Math.max(pos, n - 2);
          if (n - keep < 2 && this.#carryLength > 0) {
            // One new byte: keep the last carried byte before it.
            const last = this.#carry[this.#carryLength - 1]!;
            this.#carryLength = 0;
            this.#appendBytes(Uint8Array.of(last));
          } else this.#carryLength = 0;
          this.#append(chunk, keep, n);
        }
        break;
      }
      if (this.#inNal) this.#endPending(out, chunk, pos, sc);
      else {
        let garbageEnd = sc;
        while (garbageEnd > pos && chunk[garbageEnd - 1] === 0) garbageEnd--; // leading_zero_8bits
        this.#leading(garbageEnd - pos);
      }
      pos = sc + 3;
      this.#beginNal(this.#consumed + pos);
    }
    this.#consumed += n;
    return out;
  }

  /** The last NAL unit (the input ended). */
  flush(out: NalPosition[] = []): NalPosition[] {
    if (this.#inNal) this.#endPending(out, new Uint8Array(0), 0, 0);
    else if (this.#consumed > 0) {
      throw new EsParseError(EsParseErrorCode.InvalidStream, 'no start code (00 00 01) in the input', {
        offset: 0,
        source: this.#source,
      });
    }
    this.#inNal = false;
    this.#carryLength = 0;
    return out;
  }

  #leading(bytes: number): void {
    this.leadingBytes += bytes;
    if (this.leadingBytes > this.#maxLeading) {
      throw new EsParseError(
        EsParseErrorCode.InvalidStream,
        `no start code (00 00 01) in the first ${this.#maxLeading} bytes: not an Annex-B elementary stream`,
        { offset: 0, source: this.#source },
      );
    }
  }

  #beginNal(position: number): void {
    this.#inNal = true;
    this.#carryLength = 0;
    this.#nalPosition = position;
  }

  /** Appends `chunk[from, to)` to the carry. */
  #append(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    this.#appendBytes(from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to));
  }

  #appendBytes(bytes: Uint8Array): void {
    const length = this.#carryLength + bytes.length;
    if (this.#inNal && length > this.#maxNal) {
      throw new EsParseError(
        EsParseErrorCode.InvalidStream,
        `NAL unit larger than ${this.#maxNal} bytes (no start code found): not an elementary stream`,
        { offset: this.#nalPosition, source: this.#source },
      );
    }
    if (length > this.#carry.length) {
      const grown = new Uint8Array(Math.max(length, this.#carry.length * 2, 4096));
      grown.set(this.#carry.subarray(0, this.#carryLength));
      this.#carry = grown;
    }
    this.#carry.set(bytes, this.#carryLength);
    this.#carryLength = length;
  }

  /** Byte `k` from the end of the carried data (1 = last), or -1. */
  #tailByte(k: number): number {
    return this.#carryLength >= k ? this.#carry[this.#carryLength - k]! : -1;
  }

  /** Completes the pending NAL with `chunk[from, to)` and trims trailing zeros; copies only a NAL that spans chunks. */
  #endPending(out: NalPosition[], chunk: Uint8Array, from: number, to: number): void {
    if (this.#carryLength === 0) {
      let end = to;
      while (end > from && chunk[end - 1] === 0) end--; // trailing_zero_8bits, zero_byte
      if (end > from)
        out.push({ data: chunk, offset: from, length: end - from, position: this.#nalPosition });
      return;
    }
    this.#append(chunk, from, to);
    const carry = this.#carry;
    let end = this.#carryLength;
    while (end > 0 && carry[end - 1] === 0) end--; // trailing_zero_8bits, zero_byte
    this.#carryLength = 0;
    if (end === 0) return;
    if (this.#reuse) {
      // Hand out this buffer; the next carried bytes go to the other one.
      out.push({ data: carry, offset: 0, length: end, position: this.#nalPosition });
      this.#carry = this.#spare;
      this.#spare = carry;
    } else {
      out.push({ data: carry.slice(0, end), offset: 0, length: end, position: this.#nalPosition });
    }
  }
}
