import { wrapTimestamp } from './tsPacket.js';

/** The 4-bit prefixes of the 5-byte PTS/DTS fields of a PES header (ISO/IEC 13818-1 2.4.3.7). */
export const PesTimestampPrefix = {
  /** '0010': PTS when PTS_DTS_flags = '10'. */
  PtsOnly: 0b0010,
  /** '0011': PTS when PTS_DTS_flags = '11'. */
  PtsWithDts: 0b0011,
  /** '0001': DTS (PTS_DTS_flags = '11'). */
  Dts: 0b0001,
} as const;
export type PesTimestampPrefix = (typeof PesTimestampPrefix)[keyof typeof PesTimestampPrefix];

/**
 * Writes a 33-bit PTS or DTS (wrapped modulo 2^33) as the 5-byte field of
 * ISO/IEC 13818-1 2.4.3.7:
 * `prefix(4) TS[32..30](3) marker(1) TS[29..15](15) marker(1) TS[14..0](15) marker(1)`.
 */
export function writePesTimestamp(
  out: Uint8Array,
  at: number,
  prefix: PesTimestampPrefix,
  value: number,
): void {
  const v = wrapTimestamp(value);
  out[at] = (prefix << 4) | ((Math.floor(v / 2 ** 30) & 0x07) << 1) | 1; // prefix, PTS[32..30], marker_bit
  out[at + 1] = Math.floor(v / 2 ** 22) & 0xff; // PTS[29..22]
  out[at + 2] = ((Math.floor(v / 2 ** 15) & 0x7f) << 1) | 1; // PTS[21..15], marker_bit
  out[at + 3] = Math.floor(v / 2 ** 7) & 0xff; // PTS[14..7]
  out[at + 4] = ((v & 0x7f) << 1) | 1; // PTS[6..0], marker_bit
}

/** Reads the 33-bit value of a 5-byte PTS/DTS field (2.4.3.7); marker bits are not checked here. */
export function readPesTimestamp(bytes: Uint8Array, at: number): number {
  const b0 = bytes[at]!;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  const b3 = bytes[at + 3]!;
  const b4 = bytes[at + 4]!;
  return ((b0 >> 1) & 0x07) * 2 ** 30 + ((b1 << 7) | (b2 >> 1)) * 2 ** 15 + ((b3 << 7) | (b4 >> 1));
}

/** True when the three marker_bits of a 5-byte PTS/DTS field are set. */
export const pesTimestampMarkersValid = (bytes: Uint8Array, at: number): boolean =>
  (bytes[at]! & 1) === 1 && (bytes[at + 2]! & 1) === 1 && (bytes[at + 4]! & 1) === 1;
