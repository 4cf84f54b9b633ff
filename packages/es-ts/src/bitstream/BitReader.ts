import { EsParseError, EsParseErrorCode } from '../EsParseError.js';

/**
 * Bounds-checked MSB-first bit reader over an RBSP (emulation prevention
 * removed), with the descriptors of ITU-T H.264 / H.265 7.2: u(n), ue(v),
 * se(v) and more_rbsp_data(). Reading past the end throws
 * {@link EsParseError} `INVALID_SYNTAX` naming the syntax element and the
 * input byte offset.
 */
export class BitReader {
  readonly #data: Uint8Array;
  readonly #length: number;
  /** Position in bits. */
  #pos = 0;
  readonly #offset: number;
  readonly #source: string | undefined;
  readonly #what: string;

  /**
   * @param data RBSP bytes; only `data[0, length)` is read.
   * @param offset input byte offset of `data[0]`, for messages.
   * @param what what is being parsed (`SPS`, `slice header`), for messages.
   */
  constructor(
    data: Uint8Array,
    options: {
      length?: number;
      offset?: number;
      source?: string | undefined;
      what?: string;
      startByte?: number;
    } = {},
  ) {
    this.#data = data;
    this.#length = Math.min(options.length ?? data.length, data.length);
    this.#offset = options.offset ?? 0;
    this.#source = options.source;
    this.#what = options.what ?? 'NAL unit';
    this.#pos = (options.startByte ?? 0) * 8;
  }

  /** Bits consumed so far. */
  get position(): number {
    return this.#pos;
  }

  get bitsLeft(): number {
    return this.#length * 8 - this.#pos;
  }

  fail(element: string, detail: string): never {
    const at = this.#offset + (this.#pos >> 3);
    throw new EsParseError(EsParseErrorCode.InvalidSyntax, `${this.#what} ${element}: ${detail}`, {
      offset: at,
      source: this.#source,
    });
  }

  #need(bits: number, element: string): void {
    if (this.#pos + bits > this.#length * 8) {
      this.fail(element, `needs ${bits} bits, ${Math.max(0, this.#length * 8 - this.#pos)} left`);
    }
  }

  /** u(1) */
  flag(element = 'u(1)'): boolean {
    this.#need(1, element);
    const p = this.#pos++;
    return ((this.#data[p >> 3]! >> (7 - (p & 7))) & 1) === 1;
  }

  /** u(n), n from 0 to 32. */
  u(n: number, element = `u(${n})`): number {
    if (n === 0) return 0;
    this.#need(n, element);
    let value = 0;
    let p = this.#pos;
    let left = n;
    const data = this.#data;
    while (left > 0) {
      const bitInByte = p & 7;
      const take = Math.min(8 - bitInByte, left);
      const bits = (data[p >> 3]! >> (8 - bitInByte - take)) & ((1 << take) - 1);
      value = value * (1 << take) + bits;
      p += take;
      left -= take;
    }
    this.#pos = p;
    return value;
  }

  skip(n: number, element = `skip(${n})`): void {
    this.#need(n, element);
    this.#pos += n;
  }

  /** ue(v): Exp-Golomb, 9.1. Codes longer than 32 bits are rejected as invalid. */
  ue(element = 'ue(v)'): number {
    let zeros = 0;
    while (!this.flag(element)) {
      zeros++;
      if (zeros > 31) this.fail(element, 'Exp-Golomb code longer than 32 bits');
    }
    return zeros === 0 ? 0 : 2 ** zeros - 1 + this.u(zeros, element);
  }

  /** se(v): 9.1.1, k -> (-1)^(k+1) * Ceil(k / 2). */
  se(element = 'se(v)'): number {
    const k = this.ue(element);
    return k & 1 ? (k + 1) / 2 : -(k / 2);
  }

  /** more_rbsp_data() (7.2): true when bits remain before the rbsp_stop_one_bit. */
  moreRbspData(): boolean {
    const data = this.#data;
    let last = this.#length - 1;
    while (last >= 0 && data[last] === 0) last--;
    if (last < 0) return false;
    const byte = data[last]!;
    let stopBit = 0; // bit index from the MSB of the last set bit
    for (let b = 7; b >= 0; b--) {
      if ((byte >> (7 - b)) & 1) {
        stopBit = b;
        break;
      }
    }
    return this.#pos < last * 8 + stopBit;
  }
}
