/** stream_type values of the PMT (ISO/IEC 13818-1 Table 2-34) that `@rec/es-ts` writes. */
export const StreamType = {
  /** ISO/IEC 13818-7 Audio with ADTS transport syntax. */
  AacAdts: 0x0f,
  /** AVC video stream as defined in ITU-T H.264 | ISO/IEC 14496-10. */
  H264: 0x1b,
  /** HEVC video stream as defined in ITU-T H.265 | ISO/IEC 23008-2. */
  Hevc: 0x24,
} as const;
export type StreamType = (typeof StreamType)[keyof typeof StreamType];
