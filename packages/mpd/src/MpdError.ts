/** Stable codes callers can branch on. */
export const MpdErrorCode = {
  InvalidManifest: 'INVALID_MANIFEST',
  Unsupported: 'UNSUPPORTED',
} as const;
export type MpdErrorCode = (typeof MpdErrorCode)[keyof typeof MpdErrorCode];

/** The one error class of `@rec/mpd`: names the element path in the manifest. */
export class MpdError extends Error {
  override readonly name = 'MpdError';
  readonly code: MpdErrorCode;
  /** Element path, e.g. `MPD/Period[0]/AdaptationSet[1]/SegmentTemplate`. */
  readonly path: string;

  constructor(code: MpdErrorCode, message: string, options: { path: string; cause?: unknown }) {
    super(`${options.path}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}
