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
  /**
   * The data chunk announces fewer bytes than follow it, and what follows is
   * no RIFF chunk: the rest is ignored (most likely samples its header does
   * not claim).
   */
  WavExcessData: 'WAV_EXCESS_DATA',
  /** The last ADTS frame of a chunk is cut (its header announces more bytes than the file holds). */
  AacTruncated: 'AAC_TRUNCATED',
  /** Bytes after the first ADTS frames of a chunk are no frames of its stream: the chunk is cut there. */
  AacCut: 'AAC_CUT',
  /** An audio chunk with no bytes was skipped. */
  ChunkEmpty: 'CHUNK_EMPTY',
  /** An audio chunk that is not a WAV / ADTS chunk the join can read was skipped. */
  ChunkUnreadable: 'CHUNK_UNREADABLE',
  /** A chunk lies entirely outside the window and was skipped. */
  ChunkOutsideWindow: 'CHUNK_OUTSIDE_WINDOW',
} as const;
export type MuxWarningCode = (typeof MuxWarningCode)[keyof typeof MuxWarningCode];
