import { RecError } from '@rec/core';

/** Stable codes callers can branch on; unique across the rec packages. */
export const EsParseErrorCode = {
  /** Not an Annex-B stream, no decodable access unit, no ADTS frame. */
  InvalidStream: 'ES_INVALID_STREAM',
  /** A parameter set or slice header that cannot be parsed (the message names the syntax element). */
  InvalidSyntax: 'ES_INVALID_SYNTAX',
  /**
   * `strict` muxing: the input ends inside a picture or a parameter set, or a
   * segment is empty (without `strict`, the incomplete picture is cut with a warning).
   */
  Truncated: 'ES_TRUNCATED',
  /** Reserved for a stream feature this package cannot carry or time (not thrown today). */
  Unsupported: 'ES_UNSUPPORTED',
  /** Not an MPEG-TS: not a single packet found (readTs). */
  InvalidTs: 'TS_INVALID',
} as const;
export type EsParseErrorCode = (typeof EsParseErrorCode)[keyof typeof EsParseErrorCode];

/**
 * The one error class of `@rec/es-ts`, for media it cannot use: always names
 * where in the input it happened. Bad options are `TypeError`s instead, and
 * aborts reject with `signal.reason`.
 */
export class EsParseError extends RecError<EsParseErrorCode> {
  override readonly name = 'EsParseError';
  /** Byte offset in the input (or segment) where the problem was found. */
  readonly offset: number;
  /** The segment/file name when known. */
  readonly source: string | undefined;

  constructor(
    code: EsParseErrorCode,
    message: string,
    options: { offset: number; source?: string | undefined; cause?: unknown },
  ) {
    const where = `${options.source ? `${options.source} ` : ''}at byte ${options.offset} (0x${options.offset.toString(16)})`;
    super(code, `${where}: ${message}`, options);
    this.offset = options.offset;
    this.source = options.source;
  }
}
