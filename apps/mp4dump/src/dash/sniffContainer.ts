/** What the first bytes of a segment say it is. */
export type Container = 'iso-bmff' | 'webm' | 'mpeg-ts' | 'unknown';

/**
 * Box types an fMP4 init or media segment may start with (ISO/IEC 14496-12
 * 4.3 ftyp; 8.16.2 styp; 8.16.3 sidx; 8.8.4 moof; ISO/IEC 23009-1 5.10.3.3
 * emsg; 8.16.5 prft; free/skip padding; moov for a file without ftyp).
 */
const firstBoxes = new Set(['ftyp', 'styp', 'sidx', 'moof', 'moov', 'emsg', 'prft', 'free', 'skip', 'uuid']);

/**
 * Recognizes ISO-BMFF (a first box of a known type, ISO/IEC 14496-12 4.2:
 * 32-bit size, then the fourcc), WebM / Matroska (the EBML magic
 * 0x1A45DFA3, RFC 8794 8.1) and MPEG-TS (a 0x47 sync byte every 188 bytes,
 * ISO/IEC 13818-1 2.4.3.2) from a segment's first bytes.
 */
export function sniffContainer(bytes: Uint8Array): Container {
  if (bytes.length >= 8) {
    const type = String.fromCharCode(...bytes.subarray(4, 8));
    const size = ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
    // size 1: a 64-bit largesize follows; 0: to the end of the file; else at least the 8-byte header.
    if (firstBoxes.has(type) && (size === 0 || size === 1 || size >>> 0 >= 8)) return 'iso-bmff';
  }
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  if (bytes[0] === 0x47 && (bytes.length < 189 || bytes[188] === 0x47)) return 'mpeg-ts';
  return 'unknown';
}
