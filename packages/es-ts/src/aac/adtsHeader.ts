/**
 * adts_fixed_header() + adts_variable_header() (ISO/IEC 13818-7 6.2.1,
 * ISO/IEC 14496-3 1.A.2.2.1): 7 bytes, 9 with the CRC (protection_absent 0).
 */
export interface AdtsHeader {
  /** ID: 0 = MPEG-4, 1 = MPEG-2 AAC. */
  mpegVersion: 2 | 4;
  /** protection_absent === 0: a 16-bit CRC follows the header. */
  hasCrc: boolean;
  /** profile_ObjectType + 1: the MPEG-4 Audio Object Type (2 = AAC LC). */
  audioObjectType: number;
  samplingFrequencyIndex: number;
  sampleRate: number;
  /** channel_configuration (0 = defined in a program_config_element). */
  channelConfiguration: number;
  /** aac_frame_length: the whole frame, header included. */
  frameLength: number;
  /** adts_buffer_fullness (0x7FF = variable rate). */
  bufferFullness: number;
  /** number_of_raw_data_blocks_in_frame + 1. */
  rawDataBlocks: number;
  /** 1024 per raw data block. */
  samples: number;
  /** 7 or 9. */
  headerLength: number;
}

/** sampling_frequency_index -> Hz (ISO/IEC 14496-3 Table 1.18); 13, 14 reserved, 15 escape (not allowed in ADTS). */
export const ADTS_SAMPLE_RATES = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
] as const;

/** Bytes of adts_fixed_header() + adts_variable_header() (ISO/IEC 13818-7 6.2.1). */
export const ADTS_HEADER_BYTES = 7;

/** Bytes of adts_error_check()'s crc_check, after the header when protection_absent is 0. */
export const ADTS_CRC_BYTES = 2;

/**
 * Whether the bytes at `at` start like an ADTS header: syncword '1111 1111
 * 1111' (12 bits), then ID (1), layer '00' (2) and protection_absent (1).
 * Needs 2 bytes (false with fewer): enough to tell a header cut short.
 */
export function hasAdtsSyncword(bytes: Uint8Array, at = 0): boolean {
  return at + 2 <= bytes.length && bytes[at] === 0xff && (bytes[at + 1]! & 0xf6) === 0xf0;
}

/** Samples per raw_data_block() of AAC (frameLengthFlag 0). */
export const AAC_FRAME_SAMPLES = 1024;

/**
 * Parses the ADTS header at `at`, or returns undefined when the bytes there
 * are not one (wrong syncword, layer != 0, reserved sampling index, frame
 * shorter than its header) or fewer than 7 bytes are left.
 */
export function readAdtsHeader(bytes: Uint8Array, at = 0): AdtsHeader | undefined {
  if (at + ADTS_HEADER_BYTES > bytes.length || !hasAdtsSyncword(bytes, at)) return undefined;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  const b3 = bytes[at + 3]!;
  const b4 = bytes[at + 4]!;
  const b5 = bytes[at + 5]!;
  const b6 = bytes[at + 6]!;
  const hasCrc = (b1 & 0x01) === 0; // protection_absent
  const samplingFrequencyIndex = (b2 >> 2) & 0x0f; // profile_ObjectType (2), sampling_frequency_index (4)
  const sampleRate = ADTS_SAMPLE_RATES[samplingFrequencyIndex];
  if (sampleRate === undefined) return undefined;
  const channelConfiguration = ((b2 & 0x01) << 2) | (b3 >> 6); // private_bit (1), channel_configuration (3)
  const frameLength = ((b3 & 0x03) << 11) | (b4 << 3) | (b5 >> 5); // aac_frame_length (13)
  const headerLength = hasCrc ? ADTS_HEADER_BYTES + ADTS_CRC_BYTES : ADTS_HEADER_BYTES;
  if (frameLength < headerLength) return undefined;
  const rawDataBlocks = (b6 & 0x03) + 1; // number_of_raw_data_blocks_in_frame (2)
  return {
    mpegVersion: b1 & 0x08 ? 2 : 4,
    hasCrc,
    audioObjectType: (b2 >> 6) + 1,
    samplingFrequencyIndex,
    sampleRate,
    channelConfiguration,
    frameLength,
    bufferFullness: ((b5 & 0x1f) << 6) | (b6 >> 2), // adts_buffer_fullness (11)
    rawDataBlocks,
    samples: rawDataBlocks * AAC_FRAME_SAMPLES,
    headerLength,
  };
}
