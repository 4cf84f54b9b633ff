import { RecError } from '@rec/core';

/** Stable codes callers can branch on (unique across rec packages). */
export const MpdErrorCode = {
  /** Not a usable MPD: malformed XML, no `<MPD>` root, a required attribute missing or out of range. */
  InvalidManifest: 'MPD_INVALID',
  /** Valid DASH this package does not handle (entity expansion, an index format other than sidx, ...). */
  Unsupported: 'MPD_UNSUPPORTED',
  /** The manifest text is longer than `maxBytes`. */
  TooLarge: 'MPD_TOO_LARGE',
  /** A segment URL that cannot be mapped under the output directory (`localPathFor`). */
  UnsafeUrl: 'MPD_UNSAFE_URL',
  /** The bytes at a SegmentBase `@indexRange` (or a template `@index`) hold no readable sidx. */
  InvalidIndex: 'MPD_INDEX_INVALID',
} as const;
export type MpdErrorCode = (typeof MpdErrorCode)[keyof typeof MpdErrorCode];

/**
 * The one error class of `@rec/mpd`: names the element path in the manifest
 * (`MPD/Period[0]/AdaptationSet[1]/SegmentTemplate@timescale`), or the line
 * and column for malformed XML (`path` is then empty).
 */
export class MpdError extends RecError<MpdErrorCode> {
  override readonly name = 'MpdError';
  /** Element path, e.g. `MPD/Period[0]/AdaptationSet[1]/SegmentTemplate`; empty for the document as a whole. */
  readonly path: string;
  /** 1-based position in the manifest text, when known. */
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    code: MpdErrorCode,
    message: string,
    options: { path: string; line?: number; column?: number; cause?: unknown },
  ) {
    super(code, options.path ? `${options.path}: ${message}` : message, options);
    this.path = options.path;
    this.line = options.line;
    this.column = options.column;
  }
}
