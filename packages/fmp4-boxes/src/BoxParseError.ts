import { RecError } from '@rec/core';

/** Stable codes callers can branch on (unique across rec packages). */
export const BoxParseErrorCode = {
  /** The bytes end before the box (or a field of it) does. */
  Truncated: 'BOX_TRUNCATED',
  /** A box whose header or fields cannot be right (size under 8, child larger than its parent...). */
  InvalidBox: 'BOX_INVALID',
} as const;
export type BoxParseErrorCode = (typeof BoxParseErrorCode)[keyof typeof BoxParseErrorCode];

/** The one error class of `@rec/fmp4-boxes`: names the box path and the absolute byte offset. */
export class BoxParseError extends RecError<BoxParseErrorCode> {
  override readonly name = 'BoxParseError';
  /** Byte offset in the file. */
  readonly offset: number;
  /** Box path, e.g. `moov/trak[1]/mdia/minf/stbl/stsz`. */
  readonly path: string;

  constructor(
    code: BoxParseErrorCode,
    message: string,
    options: { offset: number; path: string; cause?: unknown },
  ) {
    super(code, `${options.path} @ 0x${options.offset.toString(16)}: ${message}`, options);
    this.offset = options.offset;
    this.path = options.path;
  }
}
