import { PesTimestampPrefix, writePesTimestamp } from './pesTimestamp.js';

/** stream_id values (ISO/IEC 13818-1 Table 2-22) that `@rec/es-ts` writes. */
export const PesStreamId = {
  /** '1100 xxxx' ISO/IEC 13818-3 or 11172-3 or 13818-7 or 14496-3 audio stream number 0. */
  Audio: 0xc0,
  /** '1110 xxxx' ITU-T H.262 / 11172-2 / 14496-2 / H.264 / H.265 video stream number 0. */
  Video: 0xe0,
} as const;
export type PesStreamId = (typeof PesStreamId)[keyof typeof PesStreamId];

export interface PesHeaderFields {
  streamId: number;
  /** 90 kHz; written modulo 2^33. */
  pts: number;
  /** 90 kHz; written (PTS_DTS_flags '11') only when it differs from `pts`. */
  dts?: number;
  /** Bytes of elementary stream data after the header; 0 or omitted = unbounded (video only, 2.4.3.7). */
  payloadLength?: number;
}

/** Size of the PES header {@link writePesHeader} writes: 14 with PTS only, 19 with PTS and DTS. */
export const pesHeaderLength = (pts: number, dts: number | undefined): number =>
  dts === undefined || dts === pts ? 14 : 19;

/**
 * Writes a PES_packet() header (ISO/IEC 13818-1 2.4.3.6/2.4.3.7) at `at` and
 * returns its length. data_alignment_indicator is 1: every PES starts with an
 * access unit (or ADTS frame).
 */
export function writePesHeader(out: Uint8Array, at: number, fields: PesHeaderFields): number {
  const { streamId, pts, dts, payloadLength = 0 } = fields;
  const withDts = dts !== undefined && dts !== pts;
  const headerDataLength = withDts ? 10 : 5;
  // PES_packet_length counts the bytes after itself: 3 flag/length bytes, the optional fields, the payload.
  const pesPacketLength = payloadLength === 0 ? 0 : 3 + headerDataLength + payloadLength;
  if (pesPacketLength > 0xffff) throw new RangeError(`PES_packet_length ${pesPacketLength} exceeds 65535`);
  out[at] = 0x00; // packet_start_code_prefix 0x000001
  out[at + 1] = 0x00;
  out[at + 2] = 0x01;
  out[at + 3] = streamId; // stream_id
  out[at + 4] = pesPacketLength >> 8; // PES_packet_length
  out[at + 5] = pesPacketLength & 0xff;
  out[at + 6] = 0x84; // '10', PES_scrambling_control '00', PES_priority 0, data_alignment_indicator 1, copyright 0, original_or_copy 0
  out[at + 7] = withDts ? 0xc0 : 0x80; // PTS_DTS_flags '11' or '10', ESCR/ES_rate/DSM_trick_mode/additional_copy_info/PES_CRC/PES_extension flags 0
  out[at + 8] = headerDataLength; // PES_header_data_length
  if (withDts) {
    writePesTimestamp(out, at + 9, PesTimestampPrefix.PtsWithDts, pts);
    writePesTimestamp(out, at + 14, PesTimestampPrefix.Dts, dts);
  } else {
    writePesTimestamp(out, at + 9, PesTimestampPrefix.PtsOnly, pts);
  }
  return 9 + headerDataLength;
}
