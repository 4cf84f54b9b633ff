/** Something recovered from: reported on results, never thrown, never printed. */
export interface MuxWarning {
  /** Stable kind, e.g. `WAV_TRUNCATED`. */
  code: string;
  message: string;
  /** The file it is about, when there is one. */
  file?: string;
}

/** Stable warning kinds. */
export const MuxWarningCode = {
  /** The data chunk announces more bytes than the file holds. */
  WavTruncated: 'WAV_TRUNCATED',
  /** The data chunk size is 0 or 0xFFFFFFFF (a streaming writer never patched it). */
  WavSizeUnset: 'WAV_SIZE_UNSET',
  /** The data is not a whole number of sample frames; the partial frame is ignored. */
  WavPartialFrame: 'WAV_PARTIAL_FRAME',
  /** A chunk lies entirely outside the window and was skipped. */
  ChunkOutsideWindow: 'CHUNK_OUTSIDE_WINDOW',
} as const;
export type MuxWarningCode = (typeof MuxWarningCode)[keyof typeof MuxWarningCode];
