/**
 * Removes emulation_prevention_three_byte (ITU-T H.264 7.4.1 / H.265 7.4.2):
 * every 0x03 that follows 0x00 0x00 inside a NAL unit. Writes at most
 * `maxLength` RBSP bytes into `out` (grown when too small) and returns the
 * RBSP length. Headers need only the first bytes of a slice, so callers pass a
 * small `maxLength` and reuse `out`.
 */
export function unescapeRbsp(
  nal: Uint8Array,
  out: { buffer: Uint8Array },
  maxLength: number = nal.length,
): number {
  const limit = Math.min(maxLength, nal.length);
  if (out.buffer.length < limit) out.buffer = new Uint8Array(Math.max(limit, out.buffer.length * 2));
  const dst = out.buffer;
  let zeros = 0;
  let n = 0;
  for (let i = 0; i < nal.length && n < limit; i++) {
    const b = nal[i]!;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    dst[n++] = b;
  }
  return n;
}
