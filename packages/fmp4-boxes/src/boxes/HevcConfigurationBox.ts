import type { Box } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { needEntries, readBytes } from '../read/fields.js';

/** One array of hvcC: the NAL units of one type (VPS 32, SPS 33, PPS 34, SEI 39...). */
export interface HevcNaluArray {
  arrayCompleteness: number;
  reserved: number;
  naluType: number;
  nalus: Uint8Array[];
}

/** `hvcC` (ISO/IEC 14496-15 8.3.3): HEVCDecoderConfigurationRecord. */
export interface HevcConfigurationBox extends Box {
  type: 'hvcC';
  configurationVersion: number;
  generalProfileSpace: number;
  generalTierFlag: number;
  /** general_profile_idc (1 Main, 2 Main 10, 3 Main Still Picture, 4 Range extensions). */
  generalProfile: number;
  generalProfileCompatibilityFlags: number;
  /** The 48 bits of general_constraint_indicator_flags. */
  generalConstraintIndicatorFlags: number;
  /** general_level_idc (level x 30: 93 is 3.1). */
  generalLevel: number;
  /** The reserved bits before each of the next five fields ('1111', '111111'...). */
  reserved1: number;
  minSpatialSegmentation: number;
  reserved2: number;
  parallelismType: number;
  reserved3: number;
  chromaFormat: number;
  reserved4: number;
  /** bitDepthLumaMinus8 + 8. */
  lumaBitDepth: number;
  reserved5: number;
  chromaBitDepth: number;
  /** Frames per 256 s (0: unspecified). */
  averageFrameRate: number;
  constantFrameRate: number;
  numTemporalLayers: number;
  temporalIdNested: number;
  /** lengthSizeMinusOne + 1. */
  naluLengthSize: number;
  sequences: HevcNaluArray[];
}

/*
 * aligned(8) class HEVCDecoderConfigurationRecord {
 *   unsigned int(8) configurationVersion = 1;
 *   unsigned int(2) general_profile_space; unsigned int(1) general_tier_flag; unsigned int(5) general_profile_idc;
 *   unsigned int(32) general_profile_compatibility_flags; unsigned int(48) general_constraint_indicator_flags;
 *   unsigned int(8) general_level_idc;
 *   bit(4) reserved = '1111'b; unsigned int(12) min_spatial_segmentation_idc;
 *   bit(6) reserved = '111111'b; unsigned int(2) parallelismType;
 *   bit(6) reserved = '111111'b; unsigned int(2) chromaFormat;
 *   bit(5) reserved = '11111'b; unsigned int(3) bitDepthLumaMinus8;
 *   bit(5) reserved = '11111'b; unsigned int(3) bitDepthChromaMinus8;
 *   bit(16) avgFrameRate; bit(2) constantFrameRate; bit(3) numTemporalLayers; bit(1) temporalIdNested;
 *   unsigned int(2) lengthSizeMinusOne; unsigned int(8) numOfArrays;
 *   for (j=0; j < numOfArrays; j++) {
 *     bit(1) array_completeness; unsigned int(1) reserved = 0; unsigned int(6) NAL_unit_type;
 *     unsigned int(16) numNalus;
 *     for (i=0; i< numNalus; i++) { unsigned int(16) nalUnitLength; bit(8*nalUnitLength) nalUnit; } } }
 */
export const hvcC: BoxDecoder<HevcConfigurationBox> = {
  type: 'hvcC',
  read(reader, context) {
    const configurationVersion = reader.u8(); // configurationVersion
    const profileByte = reader.u8(); // general_profile_space, general_tier_flag, general_profile_idc
    const generalProfileCompatibilityFlags = reader.u32(); // general_profile_compatibility_flags
    const generalConstraintIndicatorFlags = reader.u32() * 0x10000 + reader.u16(); // general_constraint_indicator_flags
    const generalLevel = reader.u8(); // general_level_idc
    const segmentation = reader.u16(); // reserved, min_spatial_segmentation_idc
    const parallelism = reader.u8(); // reserved, parallelismType
    const chroma = reader.u8(); // reserved, chromaFormat
    const luma = reader.u8(); // reserved, bitDepthLumaMinus8
    const chromaDepth = reader.u8(); // reserved, bitDepthChromaMinus8
    const averageFrameRate = reader.u16(); // avgFrameRate
    const timing = reader.u8(); // constantFrameRate, numTemporalLayers, temporalIdNested, lengthSizeMinusOne
    const arrays = reader.u8(); // numOfArrays
    needEntries(reader, context, arrays, 3, 'numOfArrays');
    const sequences: HevcNaluArray[] = [];
    for (let j = 0; j < arrays; j++) {
      const head = reader.u8(); // array_completeness, reserved, NAL_unit_type
      const count = reader.u16(); // numNalus
      needEntries(reader, context, count, 2, 'numNalus');
      const nalus: Uint8Array[] = [];
      for (let i = 0; i < count; i++) nalus.push(readBytes(reader, reader.u16())); // nalUnitLength, nalUnit
      sequences.push({
        arrayCompleteness: head >> 7,
        reserved: (head >> 6) & 1,
        naluType: head & 0x3f,
        nalus,
      });
    }
    return {
      configurationVersion,
      generalProfileSpace: profileByte >> 6,
      generalTierFlag: (profileByte >> 5) & 1,
      generalProfile: profileByte & 0x1f,
      generalProfileCompatibilityFlags,
      generalConstraintIndicatorFlags,
      generalLevel,
      reserved1: segmentation >> 12,
      minSpatialSegmentation: segmentation & 0x0fff,
      reserved2: parallelism >> 2,
      parallelismType: parallelism & 0x03,
      reserved3: chroma >> 2,
      chromaFormat: chroma & 0x03,
      reserved4: luma >> 3,
      lumaBitDepth: (luma & 0x07) + 8,
      reserved5: chromaDepth >> 3,
      chromaBitDepth: (chromaDepth & 0x07) + 8,
      averageFrameRate,
      constantFrameRate: timing >> 6,
      numTemporalLayers: (timing >> 3) & 0x07,
      temporalIdNested: (timing >> 2) & 1,
      naluLengthSize: (timing & 0x03) + 1,
      sequences,
    };
  },
  write(box, writer) {
    writer.u8(box.configurationVersion); // configurationVersion
    writer.u8((box.generalProfileSpace << 6) | (box.generalTierFlag << 5) | box.generalProfile); // profile space, tier, idc
    writer.u32(box.generalProfileCompatibilityFlags); // general_profile_compatibility_flags
    writer
      .u32(Math.floor(box.generalConstraintIndicatorFlags / 0x10000))
      .u16(box.generalConstraintIndicatorFlags % 0x10000); // 48 bits
    writer.u8(box.generalLevel); // general_level_idc
    writer.u16((box.reserved1 << 12) | box.minSpatialSegmentation); // reserved, min_spatial_segmentation_idc
    writer.u8((box.reserved2 << 2) | box.parallelismType); // reserved, parallelismType
    writer.u8((box.reserved3 << 2) | box.chromaFormat); // reserved, chromaFormat
    writer.u8((box.reserved4 << 3) | (box.lumaBitDepth - 8)); // reserved, bitDepthLumaMinus8
    writer.u8((box.reserved5 << 3) | (box.chromaBitDepth - 8)); // reserved, bitDepthChromaMinus8
    writer.u16(box.averageFrameRate); // avgFrameRate
    writer.u8(
      (box.constantFrameRate << 6) |
        (box.numTemporalLayers << 3) |
        (box.temporalIdNested << 2) |
        (box.naluLengthSize - 1),
    );
    writer.u8(box.sequences.length); // numOfArrays
    for (const array of box.sequences) {
      writer.u8((array.arrayCompleteness << 7) | (array.reserved << 6) | array.naluType); // array_completeness, reserved, NAL_unit_type
      writer.u16(array.nalus.length); // numNalus
      for (const nalu of array.nalus) writer.u16(nalu.length).bytes(nalu); // nalUnitLength, nalUnit
    }
  },
};
