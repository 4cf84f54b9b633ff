import type { Uint64 } from '@rec/fmp4-boxes';

/** A fourcc as the 32-bit number Bento4 keeps (`aux info type` prints it in hex). */
export function fourccValue(fourcc: string): number {
  let value = 0;
  for (let i = 0; i < 4; i++) value = value * 256 + ((fourcc.charCodeAt(i) || 0) & 0xff);
  return value;
}

/** A fourcc as Bento4 names a box (`AP4_FormatFourCharsPrintable`), but `©` printed as itself. */
export function printableType(type: string): string {
  let name = printableTypes.get(type);
  if (name === undefined) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: those are what is replaced
    name = /[\x00-\x1f\x7f-\x9f]/.test(type) ? type.replace(/[\x00-\x1f\x7f-\x9f]/g, '.') : type;
    if (printableTypes.size < 1024) printableTypes.set(type, name);
  }
  return name;
}

/** printableType's answers (a regular expression per box line was a visible share of a dump); bounded. */
const printableTypes = new Map<string, string>();

/**
 * A 16-byte UUID in its registered form, 8-4-4-4-12, uppercase as Bento4
 * prints it (Bento4 puts its dashes after bytes 6, 8, 10 and 12 instead).
 */
export function uuidName(hex: string): string {
  const h = hex.toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** 32 hex digits back to their 16 bytes. */
export function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * `AP4_DurationMsFromUnits` (mdhd): `(AP4_UI32)(units * 1000.0 / timescale)`,
 * truncated; 0 for a zero timescale.
 */
export function durationMsTruncated(units: Uint64, timeScale: number): number {
  if (timeScale === 0) return 0;
  return toUint32(Math.trunc((Number(units) * 1000) / timeScale));
}

/**
 * mvhd's `AP4_ConvertTime(duration, timescale, 1000)`: `(AP4_UI64)(0.5 +
 * duration * (1000.0 / timescale))`, then kept as an `AP4_UI32`.
 */
export function durationMsRounded(units: Uint64, timeScale: number): number {
  if (timeScale === 0) return 0;
  return toUint32(Math.trunc(0.5 + Number(units) * (1000 / timeScale)));
}

/** A C conversion of a non-negative double to 32 bits (x86-64: through a 64-bit integer, 0 when out of range). */
function toUint32(value: number): number {
  if (!(value >= 0) || value >= 2 ** 63) return 0;
  return value < 2 ** 32 ? value : Number(BigInt(value) & 0xffffffffn);
}
