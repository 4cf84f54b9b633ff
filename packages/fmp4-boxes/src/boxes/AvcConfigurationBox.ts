import type { ByteReader } from '@rec/core';
import type { Box } from '../Box.js';
import type { BoxDecoder, DecodeContext } from '../BoxDecoder.js';
import { needEntries, readBytes } from '../read/fields.js';
import { writeParameterSets } from '../write/fields.js';

/** `avcC` (ISO/IEC 14496-15 5.3.3): AVCDecoderConfigurationRecord, the H.264 parameter sets of a track. */
export interface AvcConfigurationBox extends Box {
  type: 'avcC';
  configurationVersion: number;
  /** AVCProfileIndication (66 Baseline, 77 Main, 100 High...). */
  profile: number;
  /** profile_compatibility (the constraint_set flags). */
  profileCompatibility: number;
  /** AVCLevelIndication (level x 10: 13 is 1.3). */
  level: number;
  /** lengthSizeMinusOne + 1: bytes of each NAL unit's length in the samples. */
  naluLengthSize: number;
  /** SPS NAL units, header byte included. */
  sequenceParameters: Uint8Array[];
  /** PPS NAL units. */
  pictureParameters: Uint8Array[];
  /** High profiles (100, 110, 122, 144) only, when present: chroma_format_idc. */
  chromaFormat?: number;
  bitDepthLumaMinus8?: number;
  bitDepthChromaMinus8?: number;
  sequenceParameterExtensions?: Uint8Array[];
  /**
   * The reserved bits before lengthSizeMinusOne (6), numOfSequenceParameterSets
   * (3), chroma_format (6), bit_depth_luma_minus8 (5) and bit_depth_chroma_minus8
   * (5), as read: all ones per 5.3.3.1.2 (the default when left out), kept so
   * that a file with other bits writes back as it was.
   */
  reserved1?: number;
  reserved2?: number;
  reserved3?: number;
  reserved4?: number;
  reserved5?: number;
}

/** Profiles whose record carries the chroma/bit depth extension (14496-15 5.3.3.1.2). */
const HIGH_PROFILES = new Set([100, 110, 122, 144]);

/** `count` NAL units, each `unsigned int(16) length` then the bytes. */
export function readParameterSets(reader: ByteReader, context: DecodeContext, count: number): Uint8Array[] {
  needEntries(reader, context, count, 2, 'parameter set count');
  const sets: Uint8Array[] = [];
  for (let i = 0; i < count; i++) sets.push(readBytes(reader, reader.u16())); // length, NAL unit
  return sets;
}

/*
 * aligned(8) class AVCDecoderConfigurationRecord {
 *   unsigned int(8) configurationVersion = 1; unsigned int(8) AVCProfileIndication;
 *   unsigned int(8) profile_compatibility; unsigned int(8) AVCLevelIndication;
 *   bit(6) reserved = '111111'b; unsigned int(2) lengthSizeMinusOne;
 *   bit(3) reserved = '111'b; unsigned int(5) numOfSequenceParameterSets;
 *   for (i=0; i< numOfSequenceParameterSets; i++) { unsigned int(16) sequenceParameterSetLength; bit(8*sequenceParameterSetLength) sequenceParameterSetNALUnit; }
 *   unsigned int(8) numOfPictureParameterSets;
 *   for (i=0; i< numOfPictureParameterSets; i++) { unsigned int(16) pictureParameterSetLength; bit(8*pictureParameterSetLength) pictureParameterSetNALUnit; }
 *   if( AVCProfileIndication == 100 || ... == 110 || ... == 122 || ... == 144 ) {
 *     bit(6) reserved = '111111'b; unsigned int(2) chroma_format;
 *     bit(5) reserved = '11111'b; unsigned int(3) bit_depth_luma_minus8;
 *     bit(5) reserved = '11111'b; unsigned int(3) bit_depth_chroma_minus8;
 *     unsigned int(8) numOfSequenceParameterSetExt;
 *     for (i=0; i< numOfSequenceParameterSetExt; i++) { unsigned int(16) sequenceParameterSetExtLength; bit(8*sequenceParameterSetExtLength) sequenceParameterSetExtNALUnit; } } }
 */
export const avcC: BoxDecoder<AvcConfigurationBox> = {
  type: 'avcC',
  read(reader, context) {
    const configurationVersion = reader.u8(); // configurationVersion
    const profile = reader.u8(); // AVCProfileIndication
    const profileCompatibility = reader.u8(); // profile_compatibility
    const level = reader.u8(); // AVCLevelIndication
    const lengthSize = reader.u8(); // reserved, lengthSizeMinusOne
    const spsCount = reader.u8(); // reserved, numOfSequenceParameterSets
    const sequenceParameters = readParameterSets(reader, context, spsCount & 0x1f);
    const pictureParameters = readParameterSets(reader, context, reader.u8()); // numOfPictureParameterSets
    const fields: Omit<AvcConfigurationBox, keyof Box> = {
      configurationVersion,
      profile,
      profileCompatibility,
      level,
      naluLengthSize: (lengthSize & 0x03) + 1,
      sequenceParameters,
      pictureParameters,
      reserved1: lengthSize >> 2,
      reserved2: spsCount >> 5,
    };
    // Many writers leave the extension out even for High profiles (14496-15 allows readers to cope).
    if (HIGH_PROFILES.has(profile) && reader.remaining >= 4) {
      const chroma = reader.u8(); // reserved, chroma_format
      const luma = reader.u8(); // reserved, bit_depth_luma_minus8
      const chromaDepth = reader.u8(); // reserved, bit_depth_chroma_minus8
      fields.chromaFormat = chroma & 0x03;
      fields.bitDepthLumaMinus8 = luma & 0x07;
      fields.bitDepthChromaMinus8 = chromaDepth & 0x07;
      fields.reserved3 = chroma >> 2;
      fields.reserved4 = luma >> 3;
      fields.reserved5 = chromaDepth >> 3;
      fields.sequenceParameterExtensions = readParameterSets(reader, context, reader.u8()); // numOfSequenceParameterSetExt
    }
    return fields;
  },
  write(box, writer) {
    writer.u8(box.configurationVersion).u8(box.profile).u8(box.profileCompatibility).u8(box.level);
    writer.u8(((box.reserved1 ?? 0x3f) << 2) | ((box.naluLengthSize - 1) & 0x03)); // reserved '111111', lengthSizeMinusOne
    writer.u8(((box.reserved2 ?? 0x07) << 5) | (box.sequenceParameters.length & 0x1f)); // reserved '111', numOfSequenceParameterSets
    writeParameterSets(writer, box.sequenceParameters);
    writer.u8(box.pictureParameters.length); // numOfPictureParameterSets
    writeParameterSets(writer, box.pictureParameters);
    if (box.chromaFormat !== undefined) {
      writer.u8(((box.reserved3 ?? 0x3f) << 2) | (box.chromaFormat & 0x03)); // reserved '111111', chroma_format
      writer.u8(((box.reserved4 ?? 0x1f) << 3) | ((box.bitDepthLumaMinus8 ?? 0) & 0x07)); // reserved '11111', bit_depth_luma_minus8
      writer.u8(((box.reserved5 ?? 0x1f) << 3) | ((box.bitDepthChromaMinus8 ?? 0) & 0x07)); // reserved '11111', bit_depth_chroma_minus8
      const extensions = box.sequenceParameterExtensions ?? [];
      writer.u8(extensions.length); // numOfSequenceParameterSetExt
      writeParameterSets(writer, extensions);
    }
  },
};
