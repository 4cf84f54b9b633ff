/**
 * The types that join the stages of `@rec/es-ts`:
 * bitstream (Annex-B -> access units) -> timing (PTS/DTS) -> ts (packets).
 */

export const Codec = { H264: 'h264', Hevc: 'hevc' } as const;
export type Codec = (typeof Codec)[keyof typeof Codec];

/** One NAL unit as it appears in the stream (header included, start code excluded, emulation-prevention bytes kept). */
export interface NalUnit {
  /** nal_unit_type (H.264: 5 bits; HEVC: 6 bits). */
  type: number;
  bytes: Uint8Array;
}

/** One coded picture (ITU-T H.264 7.4.1.2.3 / H.265 7.4.2.4.4) with its timestamps. */
export interface AccessUnit {
  codec: Codec;
  /** NAL units in stream order. */
  nals: NalUnit[];
  /** IDR (H.264), IRAP (HEVC) or a recovery point: decoding can start here. */
  keyframe: boolean;
  /** Presentation time, 90 kHz. */
  pts: number;
  /** Decode time, 90 kHz; `dts <= pts` always. */
  dts: number;
  /** Frame duration, 90 kHz. */
  duration: number;
  /** Offset in the input (segment) of this access unit's first byte, for messages. */
  byteOffset: number;
}

/** One ADTS AAC frame (ISO/IEC 13818-7 6.2) with its presentation time. */
export interface AudioFrame {
  /** The whole ADTS frame, header included. */
  bytes: Uint8Array;
  /** 90 kHz. */
  pts: number;
}
