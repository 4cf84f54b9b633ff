import type { ByteReader } from '@rec/core';

/**
 * Reads bit fields MSB first over bytes a `ByteReader` hands out, for the
 * configuration records written as `unsigned int(3) ...` runs (dac3, dec3,
 * av1C, dvcC). Reading past the end goes through the reader, so the error
 * is the box's own short read.
 */
export class BitReader {
  readonly #reader: ByteReader;
  #byte = 0;
  #left = 0;

  constructor(reader: ByteReader) {
    this.#reader = reader;
  }

  /** `count` bits (up to 32) as an unsigned number. */
  bits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) {
      if (this.#left === 0) {
        this.#byte = this.#reader.u8();
        this.#left = 8;
      }
      this.#left--;
      value = value * 2 + ((this.#byte >> this.#left) & 1);
    }
    return value;
  }

  flag(): boolean {
    return this.bits(1) === 1;
  }
}
