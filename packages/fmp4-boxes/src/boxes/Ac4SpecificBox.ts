import type { Box, BoxFields } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { BitReader } from '../read/BitReader.js';
import { readBytes } from '../read/fields.js';
import { BitWriter } from '../write/ByteWriter.js';

/**
 * One presentation of an `ac4_dsi_v1` (ETSI TS 103 190-2 E.6): its version
 * and its `pres_bytes` as read, with the leading fields of its
 * `ac4_presentation_v0_dsi` (E.7) or `ac4_presentation_v1_dsi` (E.10)
 * decoded from them, as `dec3` keeps its extension bytes: the bytes are
 * what is written.
 */
export interface Ac4Presentation {
  presentationVersion: number;
  /** The pres_bytes bytes after presentation_version and pres_bytes (add_pres_bytes when 255). */
  data: Uint8Array;
  /** presentation_config (v0) or presentation_config_v1 (v1, v2); 0x06: EMDF substreams only, no more fields. */
  presentationConfig?: number;
  mdcompat?: number;
  /** Set when b_presentation_id is 1. */
  presentationId?: number;
  dsiFrameRateMultiplyInfo?: number;
  /** v1 and v2. */
  dsiFrameRateFractionInfo?: number;
  presentationEmdfVersion?: number;
  presentationKeyId?: number;
  /** v1, v2: b_presentation_channel_coded, then the three below when it is 1. */
  presentationChannelCoded?: number;
  dsiPresentationChMode?: number;
  /** Set when dsi_presentation_ch_mode is 11 to 14. */
  presB4BackChannelsPresent?: number;
  presTopChannelPairs?: number;
  /** presentation_channel_mask (v0) or presentation_channel_mask_v1 (24 bits). */
  presentationChannelMask?: number;
}

/** `dac4` (ETSI TS 103 190-2 E.5): AC4SpecificBox, an `ac4_dsi_v1` (or the deprecated `ac4_dsi`). */
export interface Ac4SpecificBox extends Box {
  type: 'dac4';
  /** 1 for ac4_dsi_v1; other versions keep only the fields below up to nPresentations (the rest is `trailing`). */
  ac4DsiVersion: number;
  bitstreamVersion: number;
  /** 0: 44.1 kHz, 1: 48 kHz. */
  fsIndex: number;
  frameRateIndex: number;
  /** n_presentations as read; `presentations` holds those the box has room for. */
  nPresentations: number;
  /** bitstream_version > 1: short_program_id when b_program_id is 1. */
  shortProgramId?: number;
  /** With shortProgramId, when b_uuid is 1: 16 bytes. */
  programUuid?: Uint8Array;
  /** ac4_bitrate_dsi (E.9): 0 not specified, 1 constant, 2 average, 3 variable. */
  bitRateMode?: number;
  /** bit/s (0: unknown). */
  bitRate?: number;
  bitRatePrecision?: number;
  /** The bits of the byte_align() after ac4_bitrate_dsi (0 as written). */
  alignBits?: number;
  presentations?: Ac4Presentation[];
}

/*
 * ac4_dsi_v1() { unsigned int(3) ac4_dsi_version; unsigned int(7) bitstream_version; unsigned int(1) fs_index;
 *   unsigned int(4) frame_rate_index; unsigned int(9) n_presentations;
 *   if (bitstream_version > 1) { unsigned int(1) b_program_id;
 *     if (b_program_id) { unsigned int(16) short_program_id; unsigned int(1) b_uuid; if (b_uuid) unsigned int(8)[16] program_uuid; } }
 *   ac4_bitrate_dsi() { unsigned int(2) bit_rate_mode; unsigned int(32) bit_rate; unsigned int(32) bit_rate_precision; }
 *   byte_align();
 *   for (i = 0; i < n_presentations; i++) { unsigned int(8) presentation_version; unsigned int(8) pres_bytes;
 *     if (pres_bytes == 255) { unsigned int(16) add_pres_bytes; pres_bytes += add_pres_bytes; }
 *     if (presentation_version == 0) ac4_presentation_v0_dsi(); else if (presentation_version == 1 || 2) ac4_presentation_v1_dsi(pres_bytes);
 *     skip_bytes up to pres_bytes; } }
 */
export const dac4: BoxDecoder<Ac4SpecificBox> = {
  type: 'dac4',
  read(reader) {
    const bits = new BitReader(reader);
    const fields: BoxFields<Ac4SpecificBox> = {
      ac4DsiVersion: bits.bits(3), // ac4_dsi_version
      bitstreamVersion: bits.bits(7), // bitstream_version
      fsIndex: bits.bits(1), // fs_index
      frameRateIndex: bits.bits(4), // frame_rate_index
      nPresentations: bits.bits(9), // n_presentations
    };
    // ac4_dsi (version 0) goes on with presentations of another syntax: kept as bytes.
    if (fields.ac4DsiVersion !== 1) return fields;
    let used = 24;
    if (fields.bitstreamVersion > 1) {
      used++;
      if (bits.flag()) {
        // b_program_id
        fields.shortProgramId = bits.bits(16); // short_program_id
        used += 17;
        if (bits.flag()) {
          // b_uuid
          fields.programUuid = new Uint8Array(16);
          for (let i = 0; i < 16; i++) fields.programUuid[i] = bits.bits(8); // program_uuid
          used += 128;
        }
      }
    }
    fields.bitRateMode = bits.bits(2); // bit_rate_mode
    fields.bitRate = bits.bits(32); // bit_rate
    fields.bitRatePrecision = bits.bits(32); // bit_rate_precision
    used += 66;
    fields.alignBits = used % 8 === 0 ? 0 : bits.bits(8 - (used % 8)); // byte_align()
    fields.presentations = [];
    for (let i = 0; i < fields.nPresentations && reader.remaining >= 2; i++) {
      const start = reader.position;
      const presentationVersion = reader.u8(); // presentation_version
      let size = reader.u8(); // pres_bytes
      if (size === 255 && reader.remaining >= 2) size += reader.u16(); // add_pres_bytes
      if (size === 255 && reader.position - start < 4) {
        reader.seek(start); // an escape cut short: left as trailing bytes
        break;
      }
      if (size > reader.remaining) {
        reader.seek(start); // a presentation the box has no room for: it and the rest are trailing bytes
        break;
      }
      const data = readBytes(reader, size);
      fields.presentations.push({
        presentationVersion,
        data,
        ...presentationFields(presentationVersion, data),
      });
    }
    return fields;
  },
  write(box, writer) {
    const bits = new BitWriter(writer);
    bits.bits(3, box.ac4DsiVersion).bits(7, box.bitstreamVersion).bits(1, box.fsIndex); // ac4_dsi_version, bitstream_version, fs_index
    bits.bits(4, box.frameRateIndex).bits(9, box.nPresentations); // frame_rate_index, n_presentations
    if (box.ac4DsiVersion !== 1) return;
    let used = 24;
    if (box.bitstreamVersion > 1) {
      const program = box.shortProgramId;
      bits.bits(1, program === undefined ? 0 : 1); // b_program_id
      used++;
      if (program !== undefined) {
        bits.bits(16, program).bits(1, box.programUuid ? 1 : 0); // short_program_id, b_uuid
        used += 17;
        if (box.programUuid) {
          if (box.programUuid.length !== 16)
            throw new RangeError(`program_uuid is 16 bytes, got ${box.programUuid.length}`);
          for (const byte of box.programUuid) bits.bits(8, byte); // program_uuid
          used += 128;
        }
      }
    }
    bits
      .bits(2, box.bitRateMode ?? 0)
      .bits(32, box.bitRate ?? 0)
      .bits(32, box.bitRatePrecision ?? 0); // ac4_bitrate_dsi()
    used += 66;
    if (used % 8 !== 0) bits.bits(8 - (used % 8), box.alignBits ?? 0); // byte_align()
    for (const presentation of box.presentations ?? []) {
      const size = presentation.data.length;
      if (size > 255 + 0xffff)
        throw new RangeError(`a presentation is up to ${255 + 0xffff} bytes, got ${size}`);
      writer.u8(presentation.presentationVersion); // presentation_version
      if (size < 255)
        writer.u8(size); // pres_bytes
      else writer.u8(255).u16(size - 255); // pres_bytes, add_pres_bytes
      writer.bytes(presentation.data);
    }
  },
};

/**
 * The leading fields of a presentation, read from its bytes as far as they
 * go (zeros past the end, as a bit reader over a short buffer gives):
 * ac4_presentation_v0_dsi (E.7) or ac4_presentation_v1_dsi (E.10), up to
 * presentation_channel_mask(_v1).
 */
function presentationFields(version: number, data: Uint8Array): Partial<Ac4Presentation> {
  if (version > 2) return {};
  let at = 0;
  const read = (count: number): number => {
    let value = 0;
    for (let i = 0; i < count; i++, at++) value = value * 2 + (((data[at >> 3] ?? 0) >> (7 - (at & 7))) & 1);
    return value;
  };
  const fields: Partial<Ac4Presentation> = { presentationConfig: read(5) }; // presentation_config(_v1)
  if (fields.presentationConfig === 0x06) return fields; // b_add_emdf_substreams = 1: nothing else here
  fields.mdcompat = read(3); // mdcompat
  if (read(1)) fields.presentationId = read(5); // b_presentation_id, presentation_id
  fields.dsiFrameRateMultiplyInfo = read(2); // dsi_frame_rate_multiply_info
  if (version === 0) {
    fields.presentationEmdfVersion = read(5); // presentation_emdf_version
    fields.presentationKeyId = read(10); // presentation_key_id
    fields.presentationChannelMask = read(24); // presentation_channel_mask
    return fields;
  }
  fields.dsiFrameRateFractionInfo = read(2); // dsi_frame_rate_fraction_info
  fields.presentationEmdfVersion = read(5); // presentation_emdf_version
  fields.presentationKeyId = read(10); // presentation_key_id
  fields.presentationChannelCoded = read(1); // b_presentation_channel_coded
  if (fields.presentationChannelCoded) {
    const mode = read(5); // dsi_presentation_ch_mode
    fields.dsiPresentationChMode = mode;
    if (mode >= 11 && mode <= 14) {
      fields.presB4BackChannelsPresent = read(1); // pres_b_4_back_channels_present
      fields.presTopChannelPairs = read(2); // pres_top_channel_pairs
    }
    fields.presentationChannelMask = read(24); // presentation_channel_mask_v1
  }
  return fields;
}
