/** Codes of the recoverable problems `@rec/es-ts` reports in `warnings[]` (never thrown). */
export const EsWarningCode = {
  /** The stream did not start at an IDR/IRAP/recovery point: pictures before the first one were dropped. */
  LeadingFramesDropped: 'LEADING_FRAMES_DROPPED',
  /** Open-GOP leading pictures (HEVC RASL, H.264 B-frames before a recovery point) that reference pictures before the start were dropped. */
  UndecodableLeadingDropped: 'UNDECODABLE_LEADING_DROPPED',
  /** The input ends inside a NAL unit header; the incomplete access unit was dropped. */
  TruncatedAccessUnit: 'TRUNCATED_ACCESS_UNIT',
  TruncatedNal: 'TRUNCATED_NAL',
  /** No VUI/VPS timing: the `frameRate` option was used. */
  FrameRateFromOption: 'FRAME_RATE_FROM_OPTION',
  /** No VUI/VPS timing and no `frameRate` option: 25 fps assumed. */
  DefaultFrameRate: 'DEFAULT_FRAME_RATE',
  /** The `frameRate` option differs from the stream's own timing, which wins. */
  FrameRateOptionIgnored: 'FRAME_RATE_OPTION_IGNORED',
  /** The stream's timing says less than 0.1 or more than 1000 fps: ignored. */
  ImplausibleTiming: 'IMPLAUSIBLE_TIMING',
  /** The timing in the parameter sets changed mid-stream; the first one is kept. */
  FrameRateChanged: 'FRAME_RATE_CHANGED',
  /** A later SPS allows more reordering than the first: some DTS were clamped to PTS. */
  ReorderDepthExceeded: 'REORDER_DEPTH_EXCEEDED',
  /** Bytes before the first start code were skipped. */
  LeadingGarbage: 'LEADING_GARBAGE',
  InvalidSei: 'INVALID_SEI',
  /** muxSegments: a segment starts before the previous one ends. */
  SegmentOverlap: 'SEGMENT_OVERLAP',
  /** muxSegments: a segment has no bytes at all; it is skipped (its time stays a gap). */
  EmptySegment: 'EMPTY_SEGMENT',
} as const;
export type EsWarningCode = (typeof EsWarningCode)[keyof typeof EsWarningCode];
