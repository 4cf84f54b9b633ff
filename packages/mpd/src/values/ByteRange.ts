/** An HTTP byte range (RFC 9110 14.1.1 `first-last`, both inclusive); `last` absent means to the end. */
export interface ByteRange {
  first: number;
  last?: number;
}

/** `first-last` (or `first-`), the text of an MPD `@range` and of an HTTP `Range: bytes=` value. */
export function formatByteRange(range: ByteRange): string {
  return `${range.first}-${range.last ?? ''}`;
}

/** The range's length in bytes, when it has an end. */
export function byteRangeLength(range: ByteRange): number | undefined {
  return range.last === undefined ? undefined : range.last - range.first + 1;
}
