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
  source?: string;
}

/**
 * Streaming byte stream format parser (ITU-T H.264 / H.265 Annex B.2):
 * splits chunks into NAL units at 3- and 4-byte start codes and drops
 * leading_zero_8bits / trailing_zero_8bits. A NAL inside one chunk is
 * returned as a view of it (no copy); only a NAL that spans chunks is copied
 * once, when it completes. Chunks must not be modified after `push`.
 */
export class AnnexBScanner {
  readonly #maxLeading: number;
  readonly #maxNal: number;
  readonly #source: string | undefined;
  /** Input bytes seen before the current chunk. */
  #consumed = 0;
  /** A start code has been seen; `#pieces` holds the NAL after it. */
  #inNal = false;
  #pieces: Uint8Array[] = [];
  #pieceBytes = 0;
  #nalPosition = 0;
  /** Bytes skipped before the first start code. */
  leadingBytes = 0;

  constructor(options: AnnexBScannerOptions = {}) {
    this.#maxLeading = options.maxLeadingBytes ?? 64 * 1024;
    this.#maxNal = options.maxNalSize ?? 64 * 1024 * 1024;
    this.#source = options.source;
  }

  /** Bytes pushed so far. */
  get bytesIn(): number {
    return this.#consumed;
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
      // The start code's zero bytes already sit in the pending tail: trailing zeros of that NAL.
      if (this.#inNal) this.#endPending(out, chunk, 0, 0);
      pos = straddle + 1;
      this.#beginNal(this.#consumed + pos);
    }
    for (;;) {
      const sc = findStartCode(chunk, pos);
      if (sc < 0) {
        if (this.#inNal) this.#addPiece(pos === 0 ? chunk : chunk.subarray(pos));
        else {
          this.#leading(n - pos);
          // Keep the last bytes: a start code may begin here and end in the next chunk.
          this.#pieces.push(chunk.subarray(Math.max(pos, n - 2)));
          if (this.#pieces.length > 2) this.#pieces.shift();
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
        ...(this.#source === undefined ? {} : { source: this.#source }),
      });
    }
    this.#inNal = false;
    this.#pieces = [];
    this.#pieceBytes = 0;
    return out;
  }

  #leading(bytes: number): void {
    this.leadingBytes += bytes;
    if (this.leadingBytes > this.#maxLeading) {
      throw new EsParseError(
        EsParseErrorCode.InvalidStream,
        `no start code (00 00 01) in the first ${this.#maxLeading} bytes: not an Annex-B elementary stream`,
        { offset: 0, ...(this.#source === undefined ? {} : { source: this.#source }) },
      );
    }
  }

  #beginNal(position: number): void {
    this.#inNal = true;
    this.#pieces = [];
    this.#pieceBytes = 0;
    this.#nalPosition = position;
  }

  #addPiece(piece: Uint8Array): void {
    this.#pieces.push(piece);
    this.#pieceBytes += piece.length;
    if (this.#pieceBytes > this.#maxNal) {
      throw new EsParseError(
        EsParseErrorCode.InvalidStream,
        `NAL unit larger than ${this.#maxNal} bytes (no start code found): not an elementary stream`,
        { offset: this.#nalPosition, ...(this.#source === undefined ? {} : { source: this.#source }) },
      );
    }
  }

  /** Byte `k` from the end of the pending data (1 = last), or -1. */
  #tailByte(k: number): number {
    const pieces = this.#pieces;
    for (let i = pieces.length - 1; i >= 0; i--) {
      const p = pieces[i]!;
      if (p.length >= k) return p[p.length - k]!;
      k -= p.length;
    }
    return -1;
  }

  /** Completes the pending NAL with `chunk[from, to)`, trims trailing zeros; copies only a NAL that spans chunks. */
  #endPending(out: NalPosition[], chunk: Uint8Array, from: number, to: number): void {
    const pieces = this.#pieces;
    if (pieces.length === 0) {
      let end = to;
      while (end > from && chunk[end - 1] === 0) end--; // trailing_zero_8bits, zero_byte
      if (end > from)
        out.push({ data: chunk, offset: from, length: end - from, position: this.#nalPosition });
      return;
    }
    if (to > from) pieces.push(chunk.subarray(from, to));
    let trimmed = 0;
    for (const p of pieces) trimmed += p.length;
    for (let i = pieces.length - 1; i >= 0; i--) {
      const p = pieces[i]!;
      let k = p.length;
      while (k > 0 && p[k - 1] === 0) k--;
      trimmed -= p.length - k;
      if (k > 0) break;
    }
    if (trimmed > 0) {
      let data: Uint8Array;
      if (pieces[0]!.length >= trimmed) data = pieces[0]!;
      else {
        data = new Uint8Array(trimmed);
        let w = 0;
        for (const p of pieces) {
          if (w >= trimmed) break;
          const take = Math.min(p.length, trimmed - w);
          data.set(take === p.length ? p : p.subarray(0, take), w);
          w += take;
        }
      }
      out.push({ data, offset: 0, length: trimmed, position: this.#nalPosition });
    }
    this.#pieces = [];
    this.#pieceBytes = 0;
  }
}
