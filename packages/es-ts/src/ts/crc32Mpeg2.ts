/**
 * CRC-32/MPEG-2 of PSI sections (ISO/IEC 13818-1 Annex A, 2.4.4.10 CRC_32):
 * polynomial 0x04C11DB7, initial value 0xFFFFFFFF, no reflection, no final XOR.
 * Running it over a whole section including its CRC_32 field yields 0.
 */

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let bit = 0; bit < 8; bit++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  return table;
}

/** CRC-32/MPEG-2 of `bytes[start, end)`, as an unsigned 32-bit number. */
export function crc32Mpeg2(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = crcTable();
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = (crc << 8) ^ t[((crc >>> 24) ^ bytes[i]!) & 0xff]!;
  return crc >>> 0;
}
