/** Stable codes callers can branch on. */
export const BoxParseErrorCode = {
  Truncated: 'TRUNCATED',
  InvalidBox: 'INVALID_BOX',
} as const;
export type BoxParseErrorCode = (typeof BoxParseErrorCode)[keyof typeof BoxParseErrorCode];

/** The one error class of `@rec/fmp4-boxes`: names the box path and byte offset. */
export class BoxParseError extends Error {
  override readonly name = 'BoxParseError';
  readonly code: BoxParseErrorCode;
  /** Byte offset in the file. */
  readonly offset: number;
  /** Box path, e.g. `moov/trak[1]/mdia/minf/stbl/stsz`. */
  readonly path: string;

  constructor(
    code: BoxParseErrorCode,
    message: string,
    options: { offset: number; path: string; cause?: unknown },
  ) {
    super(
      `${options.path} at 0x${options.offset.toString(16)}: ${message}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.offset = options.offset;
    this.path = options.path;
  }
}
