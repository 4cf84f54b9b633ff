import type { ByteWriter } from './ByteWriter.js';

/** Field writers the box writers share, the mirrors of `read/fields.ts`. */

/** FullBox (ISO/IEC 14496-12 4.2.2): version (8), flags (24). */
export function writeFullBox(writer: ByteWriter, box: { version: number; flags: number }): void {
  writer.u8(box.version).u24(box.flags); // version, flags
}

/** The 9-value matrix: a, b, u, c, d, v, x, y, w (u, v, w 2.30; the rest 16.16). */
export function writeMatrix(writer: ByteWriter, matrix: readonly number[]): void {
  if (matrix.length !== 9) throw new RangeError(`a matrix has 9 values, got ${matrix.length}`);
  matrix.forEach((value, i) => {
    if (i % 3 === 2) writer.fixed2_30(value);
    else writer.fixed16_16(value);
  });
}

/** ISO-639-2/T code packed in 15 bits after a pad bit (14496-12 8.4.2.3). */
export function packLanguage(language: string, pad = 0): number {
  if (language.length !== 3) throw new RangeError(`a three-letter language code, got "${language}"`);
  let packed = pad & 1;
  for (let i = 0; i < 3; i++) packed = (packed << 5) | ((language.charCodeAt(i) - 0x60) & 0x1f);
  return packed;
}

/** `count` entries of `sets`: `unsigned int(16) length` then the bytes of each. */
export function writeParameterSets(writer: ByteWriter, sets: readonly Uint8Array[]): void {
  for (const set of sets) writer.u16(set.length).bytes(set); // length, NAL unit
}
