/**
 * Warning kinds `@rec/mux` reports (as core's `RecWarning`, on results,
 * never thrown, never printed). Readers it wraps add their own (es-ts
 * `ADTS_*` from the AAC reader).
 */
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
