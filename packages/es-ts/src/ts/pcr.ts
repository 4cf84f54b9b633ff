import { wrapTimestamp } from './tsPacket.js';

/** PCR ticks per 90 kHz tick: the PCR runs at 27 MHz = PCR_base * 300 + PCR_ext (ISO/IEC 13818-1 2.4.2.2). */
export const PCR_EXT_PER_BASE = 300;

/**
 * Writes the 6-byte program_clock_reference of an adaptation field (2.4.3.4):
 * `PCR_base(33) reserved(6) PCR_ext(9)`. `base` is in 90 kHz ticks (wrapped
 * modulo 2^33), `ext` in 27 MHz ticks (0..299).
 */
export function writePcr(out: Uint8Array, at: number, base: number, ext = 0): void {
  const b = wrapTimestamp(base);
  out[at] = Math.floor(b / 2 ** 25) & 0xff; // PCR_base[32..25]
  out[at + 1] = Math.floor(b / 2 ** 17) & 0xff; // PCR_base[24..17]
  out[at + 2] = Math.floor(b / 2 ** 9) & 0xff; // PCR_base[16..9]
  out[at + 3] = Math.floor(b / 2) & 0xff; // PCR_base[8..1]
  out[at + 4] = ((b & 1) << 7) | 0x7e | ((ext >> 8) & 1); // PCR_base[0], reserved '111111', PCR_ext[8]
  out[at + 5] = ext & 0xff; // PCR_ext[7..0]
}

/** Reads a 6-byte program_clock_reference: the full 27 MHz value `base * 300 + ext`. */
export function readPcr(bytes: Uint8Array, at: number): number {
  const base =
    bytes[at]! * 2 ** 25 +
    bytes[at + 1]! * 2 ** 17 +
    bytes[at + 2]! * 2 ** 9 +
    bytes[at + 3]! * 2 +
    (bytes[at + 4]! >> 7);
  const ext = ((bytes[at + 4]! & 1) << 8) | bytes[at + 5]!;
  return base * PCR_EXT_PER_BASE + ext;
}
