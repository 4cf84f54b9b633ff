import { RecError } from '@rec/core';

/** Stable codes callers can branch on (unique across rec packages). */
export const BoxParseErrorCode = {
  /**
   * The data ends before a box does: a cut file or an incomplete download
   * (more bytes would fix it). Every box before it was read.
   */
  Truncated: 'BOX_TRUNCATED',
  /**
   * A box that cannot be right whatever follows it: a size under its header,
   * a child larger than its parent, fields that run past the box's end, an
   * entry count larger than the box could hold.
   */
  InvalidBox: 'BOX_INVALID',
  /** A box to decode is larger than the `maxBoxBytes` option allows to load. */
  TooLarge: 'BOX_TOO_LARGE',
} as const;
export type BoxParseErrorCode = (typeof BoxParseErrorCode)[keyof typeof BoxParseErrorCode];

/** The one error class of `@rec/fmp4-boxes`: names the box path and the absolute byte offset. */
export class BoxParseError extends RecError<BoxParseErrorCode> {
  override readonly name = 'BoxParseError';
  /** Byte offset in the file (of the box, or of the field that failed). */
  readonly offset: number;
  /** Box path, e.g. `moov/trak[1]/mdia/minf/stbl/stsz` (empty at the top level). */
  readonly path: string;

  constructor(
    code: BoxParseErrorCode,
    message: string,
    options: { offset: number; path: string; cause?: unknown },
  ) {
    super(code, `${options.path || '(top level)'} @ 0x${options.offset.toString(16)}: ${message}`, options);
    this.offset = options.offset;
    this.path = options.path;
  }
}
