/**
 * Position of the next start_code_prefix_one_3bytes (0x000001, ITU-T H.264 /
 * H.265 B.2) in `buf[from, end)`, or -1. Searches for the 0x01 byte with the
 * native `indexOf` and checks the two bytes before it, so the hot loop
 * allocates nothing and touches most bytes once.
 */
export function findStartCode(buf: Uint8Array, from: number, end: number = buf.length): number {
  let i = from + 2;
  while (i < end) {
    const one = buf.indexOf(1, i);
    if (one < 0 || one >= end) return -1;
    if (buf[one - 1] === 0 && buf[one - 2] === 0) return one - 2;
    // The byte after a 0x01 cannot end another start code, and neither can the next one.
    i = one + 3;
  }
  return -1;
}
