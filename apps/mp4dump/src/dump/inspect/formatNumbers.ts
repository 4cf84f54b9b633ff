/**
 * Number formats of Bento4's inspectors (C's printf as Bento4 calls it),
 * written out so that our output matches byte for byte.
 */

/** `%lld` of an unsigned value (bigints above 2^53 stay exact). */
export const decimal = (value: number | bigint): string => String(value);

/** `%llx`: lowercase hex, no padding, no prefix; a negative number as its 64-bit two's complement. */
export function hexDigits(value: number | bigint): string {
  if (typeof value === 'bigint') return BigInt.asUintN(64, value).toString(16);
  if (value >= 0) return value.toString(16);
  return BigInt.asUintN(64, BigInt(value)).toString(16);
}

/**
 * `%f`: 6 decimals, rounded half to even on the exact binary value as glibc
 * does (`toFixed` rounds a tie up: 0.0078125 is `0.007812` in C, `0.007813`
 * with `toFixed`).
 */
export function fixed6(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const scaled = value * 1e6;
  const text = value.toFixed(6);
  // A tie is exact only when scaled has a .5 fraction and the product was exact (16.16 values are).
  if (Math.abs(scaled) < 2 ** 52 && Math.abs(scaled % 1) === 0.5) {
    const down = Math.trunc(scaled);
    const even = down % 2 === 0 ? down : down + Math.sign(scaled);
    return signedMillionths(even, value < 0);
  }
  return text === '-0.000000' ? '-0.000000' : text;
}

function signedMillionths(units: number, negative: boolean): string {
  const abs = Math.abs(units);
  const whole = Math.floor(abs / 1e6);
  const frac = String(abs - whole * 1e6).padStart(6, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `aa bb cc`: each byte as two lowercase hex digits, one space between. */
export function hexBytes(bytes: Uint8Array, separator = ' '): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += (i === 0 ? '' : separator) + HEX_BYTE[bytes[i]!];
  return text;
}

/** Two lowercase hex digits. */
export const hexByte = (byte: number): string => HEX_BYTE[byte & 0xff]!;

/**
 * A string as C prints it: up to its first NUL. Bento4 keeps every string
 * (fourccs, names) as a C string; a brand of four zero bytes prints as ``.
 */
export function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}
