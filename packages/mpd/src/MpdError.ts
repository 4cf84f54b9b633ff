import { RecError } from '@rec/core';

/** Stable codes callers can branch on (unique across rec packages). */
export const MpdErrorCode = {
  InvalidManifest: 'MPD_INVALID',
  Unsupported: 'MPD_UNSUPPORTED',
} as const;
export type MpdErrorCode = (typeof MpdErrorCode)[keyof typeof MpdErrorCode];

/** The one error class of `@rec/mpd`: names the element path in the manifest. */
export class MpdError extends RecError<MpdErrorCode> {
  override readonly name = 'MpdError';
  /** Element path, e.g. `MPD/Period[0]/AdaptationSet[1]/SegmentTemplate`. */
  readonly path: string;

  constructor(code: MpdErrorCode, message: string, options: { path: string; cause?: unknown }) {
    super(code, `${options.path}: ${message}`, options);
    this.path = options.path;
  }
}
