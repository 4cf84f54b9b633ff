/**
 * Codes of the recoverable problems `@rec/es-ts` reports in `warnings[]`
 * (never thrown): `ES_*` from the elementary-stream muxers, `TS_*` from the
 * TS reader, `ADTS_*` from the ADTS reader. Unique across the rec packages.
 */
export const EsWarningCode = {
  /** The stream did not start at an IDR/IRAP/recovery point: pictures before the first one were dropped. */
  LeadingFramesDropped: 'ES_LEADING_FRAMES_DROPPED',
  /** Open-GOP leading pictures (HEVC RASL, H.264 B-frames before a recovery point) that reference pictures before the start were dropped. */
  UndecodableLeadingDropped: 'ES_UNDECODABLE_LEADING_DROPPED',
  /** parseAccessUnits: the input ends inside a slice header (or a picture misses its last slices); that access unit was dropped. */
  TruncatedAccessUnit: 'ES_TRUNCATED_ACCESS_UNIT',
  /** parseAccessUnits: the input ends inside a parameter set; that NAL unit was dropped. */
  TruncatedNal: 'ES_TRUNCATED_NAL',
  /** No VUI/VPS timing: the `frameRate` option was used. */
  FrameRateFromOption: 'ES_FRAME_RATE_FROM_OPTION',
  /** No VUI/VPS timing and no `frameRate` option: 25 fps assumed. */
  DefaultFrameRate: 'ES_DEFAULT_FRAME_RATE',
  /** The `frameRate` option differs from the stream's own timing, which wins. */
  FrameRateOptionIgnored: 'ES_FRAME_RATE_OPTION_IGNORED',
  /** The stream's timing says less than 0.1 or more than 1000 fps: ignored. */
  ImplausibleTiming: 'ES_IMPLAUSIBLE_TIMING',
  /** The timing in the parameter sets changed mid-stream; the first one is kept. */
  FrameRateChanged: 'ES_FRAME_RATE_CHANGED',
  /** A later SPS (or segment) reorders more frames than the first: some DTS were moved. */
  ReorderDepthExceeded: 'ES_REORDER_DEPTH_EXCEEDED',
  /** Bytes before the first start code were skipped. */
  LeadingGarbage: 'ES_LEADING_GARBAGE',
  /** An SEI could not be parsed; it was passed through unread. */
  InvalidSei: 'ES_INVALID_SEI',
  /** muxSegments: a segment starts before the previous one ends. */
  SegmentOverlap: 'ES_SEGMENT_OVERLAP',
  /** muxSegments: a segment has no bytes at all; it is skipped (its time stays a gap, listed in `damaged`). */
  EmptySegment: 'ES_EMPTY_SEGMENT',
  /**
   * muxSegments / muxElementaryStream: a segment without one decodable picture
   * (random bytes, another codec, no keyframe) was skipped; listed in `damaged`.
   */
  SegmentSkipped: 'ES_SEGMENT_SKIPPED',
  /**
   * muxSegments / muxElementaryStream: a segment ends inside a picture, or has
   * bytes that cannot be parsed after decodable pictures: it was cut there; listed in `damaged`.
   */
  SegmentCut: 'ES_SEGMENT_CUT',

  /** readTs: the stream ends inside a packet. */
  TsTruncated: 'TS_TRUNCATED',
  /** readTs: more sync losses than are listed. */
  TsSyncLossesTruncated: 'TS_SYNC_LOSSES_TRUNCATED',
  /** readTs: packets with transport_error_indicator set were skipped. */
  TsTransportError: 'TS_TRANSPORT_ERROR',
  /** readTs: packets with the reserved adaptation_field_control '00' were skipped. */
  TsReservedAfc: 'TS_RESERVED_AFC',
  /** readTs: packets whose adaptation_field_length runs past the packet were skipped. */
  TsBadAdaptationField: 'TS_BAD_ADAPTATION_FIELD',
  /** readTs: a PES being reassembled was cut by a continuity error. */
  TsPesDamaged: 'TS_PES_DAMAGED',
  /** readTs: a PSI section longer than 4096 bytes was skipped. */
  TsBadSection: 'TS_BAD_SECTION',
  /** readTs: a PSI section with a wrong CRC_32 was ignored. */
  TsCrc: 'TS_CRC',
  /** readTs: a PMT section that cannot be parsed was ignored. */
  TsBadPmt: 'TS_BAD_PMT',
  /** readTs (`keepPayload`): a PES payload too large to keep. */
  TsPesTooLarge: 'TS_PES_TOO_LARGE',
  /** readTs: PES payload beyond PES_packet_length was ignored. */
  TsPesOverrun: 'TS_PES_OVERRUN',
  /** readTs: a PES without packet_start_code_prefix was skipped. */
  TsBadPes: 'TS_BAD_PES',
  /** readTs: a PTS/DTS field with a cleared marker_bit. */
  TsPesMarker: 'TS_PES_MARKER',
  /** readTs: a PES that ends inside its header was dropped. */
  TsPesTruncated: 'TS_PES_TRUNCATED',

  /** readAdts: the input ends inside a frame. */
  AdtsTruncated: 'ADTS_TRUNCATED',
  /** readAdts: bytes that are not ADTS frames were skipped. */
  AdtsGarbage: 'ADTS_GARBAGE',
  /** readAdts: the sampling frequency changes between frames. */
  AdtsRateChange: 'ADTS_RATE_CHANGE',
} as const;
export type EsWarningCode = (typeof EsWarningCode)[keyof typeof EsWarningCode];
