/** Stable codes callers can branch on. */
export const EsParseErrorCode = {
  /** Not an Annex-B stream / no decodable access unit. */
  InvalidStream: 'INVALID_STREAM',
  /** A parameter set or slice header that cannot be parsed. */
  InvalidSyntax: 'INVALID_SYNTAX',
  /** Unsupported feature (e.g. a profile we cannot time). */
  Unsupported: 'UNSUPPORTED',
  /** Malformed TS input (reader). */
  InvalidTs: 'INVALID_TS',
  Aborted: 'ABORTED',
} as const;
export type EsParseErrorCode = (typeof EsParseErrorCode)[keyof typeof EsParseErrorCode];

/** The one error class of `@rec/es-ts`: always names where in the input it happened. */
export class EsParseError extends Error {
  override readonly name = 'EsParseError';
  readonly code: EsParseErrorCode;
  /** Byte offset in the input (or segment) where the problem was found. */
  readonly offset: number;
  /** The segment/file name when known. */
  readonly source: string | undefined;

  constructor(
    code: EsParseErrorCode,
    message: string,
    options: { offset: number; source?: string; cause?: unknown },
  ) {
    const where = `${options.source ? `${options.source} ` : ''}at byte ${options.offset} (0x${options.offset.toString(16)})`;
    super(`${where}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.offset = options.offset;
    this.source = options.source;
  }
}
