import type { BoxFields, FullBox } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { BitReader } from '../read/BitReader.js';
import { needEntries, readBytes, readFullBox } from '../read/fields.js';
import { BitWriter } from '../write/ByteWriter.js';
import { writeFullBox } from '../write/fields.js';

/** NAL unit types (ITU-T H.266 Table 5) whose vvcC array has no num_nalus: one NAL unit each. */
const OPI_NUT = 12;
const DCI_NUT = 13;

/** One array of vvcC: the NAL units of one type (VPS 14, SPS 15, PPS 16, prefix SEI 23...). */
export interface VvcNaluArray {
  arrayCompleteness: number;
  /** bit(2) reserved. */
  reserved: number;
  naluType: number;
  nalus: Uint8Array[];
}

/** VvcPTLRecord (ISO/IEC 14496-15 11.2.4.2): the profile, tier and level of the output layer set. */
export interface VvcProfileTierLevel {
  /** bit(2) reserved before num_bytes_constraint_info. */
  reserved: number;
  /** general_profile_idc (1 Main 10, 65 Main 10 Still Picture, 33 Main 10 4:4:4...). */
  generalProfileIdc: number;
  generalTierFlag: number;
  /** general_level_idc (level x 16: 83 is 5.1). */
  generalLevelIdc: number;
  ptlFrameOnlyConstraintFlag: number;
  ptlMultiLayerEnabledFlag: number;
  /**
   * general_constraint_info, its 8 x num_bytes_constraint_info - 2 bits MSB
   * first from the first byte, the last byte's two low bits 0: as many bytes
   * as num_bytes_constraint_info says.
   */
  generalConstraintInfo: Uint8Array;
  /**
   * sublayer_level_idc[i] for i = num_sublayers - 2 down to 0 (index i),
   * `undefined` where ptl_sublayer_level_present_flag[i] is 0.
   */
  sublayerLevelIdcs: (number | undefined)[];
  /** The ptl_reserved_zero_bit run after the present flags (num_sublayers > 1). */
  reservedZeroBits: number;
  generalSubProfileIdcs: number[];
}

/** `vvcC` (ISO/IEC 14496-15 11.2.4.2): VvcDecoderConfigurationRecord, a FullBox. */
export interface VvcConfigurationBox extends FullBox {
  type: 'vvcC';
  /** bit(5) reserved = '11111'b. */
  reserved: number;
  /** LengthSizeMinusOne + 1. */
  naluLengthSize: number;
  /** Set when ptl_present_flag is 1, with the fields that come with it. */
  olsIdx?: number;
  numSublayers?: number;
  constantFrameRate?: number;
  chromaFormatIdc?: number;
  bitDepthMinus8?: number;
  /** bit(5) reserved = '11111'b after bit_depth_minus8. */
  reserved2?: number;
  nativePtl?: VvcProfileTierLevel;
  maxPictureWidth?: number;
  maxPictureHeight?: number;
  /** Frames per 256 s (0: unspecified). */
  avgFrameRate?: number;
  arrays: VvcNaluArray[];
}

/*
 * aligned(8) class VvcDecoderConfigurationRecord {
 *   bit(5) reserved = '11111'b; unsigned int(2) LengthSizeMinusOne; unsigned int(1) ptl_present_flag;
 *   if (ptl_present_flag) {
 *     unsigned int(9) ols_idx; unsigned int(3) num_sublayers; unsigned int(2) constant_frame_rate;
 *     unsigned int(2) chroma_format_idc; unsigned int(3) bit_depth_minus8; bit(5) reserved = '11111'b;
 *     VvcPTLRecord(num_sublayers) native_ptl;
 *     unsigned_int(16) max_picture_width; unsigned_int(16) max_picture_height; unsigned int(16) avg_frame_rate; }
 *   unsigned int(8) num_of_arrays;
 *   for (j=0; j < num_of_arrays; j++) {
 *     unsigned int(1) array_completeness; bit(2) reserved = 0; unsigned int(5) NAL_unit_type;
 *     if (NAL_unit_type != DCI_NUT && NAL_unit_type != OPI_NUT) unsigned int(16) num_nalus;
 *     for (i=0; i< num_nalus; i++) { unsigned int(16) nal_unit_length; bit(8*nal_unit_length) nal_unit; } } }
 * aligned(8) class VvcPTLRecord(num_sublayers) {
 *   bit(2) reserved = 0; unsigned int(6) num_bytes_constraint_info; unsigned int(7) general_profile_idc;
 *   unsigned int(1) general_tier_flag; unsigned int(8) general_level_idc;
 *   unsigned int(1) ptl_frame_only_constraint_flag; unsigned int(1) ptl_multi_layer_enabled_flag;
 *   unsigned int(8*num_bytes_constraint_info - 2) general_constraint_info;
 *   for (i=num_sublayers - 2; i >= 0; i--) unsigned int(1) ptl_sublayer_level_present_flag[i];
 *   for (j=num_sublayers; j<=8 && num_sublayers > 1; j++) bit(1) ptl_reserved_zero_bit = 0;
 *   for (i=num_sublayers-2; i >= 0; i--) if (ptl_sublayer_level_present_flag[i]) unsigned int(8) sublayer_level_idc[i];
 *   unsigned int(8) ptl_num_sub_profiles;
 *   for (j=0; j < ptl_num_sub_profiles; j++) unsigned int(32) general_sub_profile_idc[j]; }
 */
export const vvcC: BoxDecoder<VvcConfigurationBox> = {
  type: 'vvcC',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const head = reader.u8(); // reserved, LengthSizeMinusOne, ptl_present_flag
    const fields: BoxFields<VvcConfigurationBox> = {
      version,
      flags,
      reserved: head >> 3,
      naluLengthSize: ((head >> 1) & 3) + 1,
      arrays: [],
    };
    if (head & 1) {
      const bits = new BitReader(reader);
      fields.olsIdx = bits.bits(9); // ols_idx
      const numSublayers = bits.bits(3); // num_sublayers
      fields.numSublayers = numSublayers;
      fields.constantFrameRate = bits.bits(2); // constant_frame_rate
      fields.chromaFormatIdc = bits.bits(2); // chroma_format_idc
      fields.bitDepthMinus8 = bits.bits(3); // bit_depth_minus8
      fields.reserved2 = bits.bits(5); // reserved
      const reserved = bits.bits(2); // reserved
      const constraintBytes = bits.bits(6); // num_bytes_constraint_info
      if (constraintBytes === 0)
        throw context.fail('num_bytes_constraint_info 0 leaves no room for its flags');
      const generalProfileIdc = bits.bits(7); // general_profile_idc
      const generalTierFlag = bits.bits(1); // general_tier_flag
      const generalLevelIdc = bits.bits(8); // general_level_idc
      const ptlFrameOnlyConstraintFlag = bits.bits(1); // ptl_frame_only_constraint_flag
      const ptlMultiLayerEnabledFlag = bits.bits(1); // ptl_multi_layer_enabled_flag
      const generalConstraintInfo = new Uint8Array(constraintBytes); // general_constraint_info
      for (let i = 0; i < constraintBytes; i++)
        generalConstraintInfo[i] =
          bits.bits(i + 1 < constraintBytes ? 8 : 6) << (i + 1 < constraintBytes ? 0 : 2);
      const present: boolean[] = [];
      let reservedZeroBits = 0;
      if (numSublayers > 1) {
        for (let i = numSublayers - 2; i >= 0; i--) present[i] = bits.flag(); // ptl_sublayer_level_present_flag[i]
        reservedZeroBits = bits.bits(9 - numSublayers); // ptl_reserved_zero_bit
      }
      const sublayerLevelIdcs: (number | undefined)[] = [];
      for (let i = numSublayers - 2; i >= 0; i--) sublayerLevelIdcs[i] = present[i] ? reader.u8() : undefined; // sublayer_level_idc[i]
      const subProfiles = reader.u8(); // ptl_num_sub_profiles
      needEntries(reader, context, subProfiles, 4, 'ptl_num_sub_profiles');
      const generalSubProfileIdcs: number[] = [];
      for (let j = 0; j < subProfiles; j++) generalSubProfileIdcs.push(reader.u32()); // general_sub_profile_idc[j]
      fields.nativePtl = {
        reserved,
        generalProfileIdc,
        generalTierFlag,
        generalLevelIdc,
        ptlFrameOnlyConstraintFlag,
        ptlMultiLayerEnabledFlag,
        generalConstraintInfo,
        sublayerLevelIdcs,
        reservedZeroBits,
        generalSubProfileIdcs,
      };
      fields.maxPictureWidth = reader.u16(); // max_picture_width
      fields.maxPictureHeight = reader.u16(); // max_picture_height
      fields.avgFrameRate = reader.u16(); // avg_frame_rate
    }
    const arrays = reader.u8(); // num_of_arrays
    needEntries(reader, context, arrays, 1, 'num_of_arrays');
    for (let j = 0; j < arrays; j++) {
      const byte = reader.u8(); // array_completeness, reserved, NAL_unit_type
      const naluType = byte & 0x1f;
      const count = naluType === DCI_NUT || naluType === OPI_NUT ? 1 : reader.u16(); // num_nalus
      needEntries(reader, context, count, 2, 'num_nalus');
      const nalus: Uint8Array[] = [];
      for (let i = 0; i < count; i++) nalus.push(readBytes(reader, reader.u16())); // nal_unit_length, nal_unit
      fields.arrays.push({ arrayCompleteness: byte >> 7, reserved: (byte >> 5) & 3, naluType, nalus });
    }
    return fields;
  },
  write(box, writer) {
    writeFullBox(writer, box);
    const ptl = box.nativePtl;
    // reserved, LengthSizeMinusOne, ptl_present_flag
    writer.u8((box.reserved << 3) | ((box.naluLengthSize - 1) << 1) | (ptl === undefined ? 0 : 1));
    if (ptl !== undefined) {
      const numSublayers = box.numSublayers ?? 1;
      const bits = new BitWriter(writer);
      bits.bits(9, box.olsIdx ?? 0).bits(3, numSublayers); // ols_idx, num_sublayers
      bits.bits(2, box.constantFrameRate ?? 0).bits(2, box.chromaFormatIdc ?? 0); // constant_frame_rate, chroma_format_idc
      bits.bits(3, box.bitDepthMinus8 ?? 0).bits(5, box.reserved2 ?? 0x1f); // bit_depth_minus8, reserved
      const info = ptl.generalConstraintInfo;
      if (info.length === 0 || info.length > 63) {
        throw new RangeError(`generalConstraintInfo holds 1 to 63 bytes, got ${info.length}`);
      }
      bits.bits(2, ptl.reserved).bits(6, info.length); // reserved, num_bytes_constraint_info
      bits.bits(7, ptl.generalProfileIdc).bits(1, ptl.generalTierFlag).bits(8, ptl.generalLevelIdc); // profile, tier, level
      bits.bits(1, ptl.ptlFrameOnlyConstraintFlag).bits(1, ptl.ptlMultiLayerEnabledFlag); // the two flags
      for (let i = 0; i < info.length; i++) {
        if (i + 1 < info.length) bits.bits(8, info[i]!);
        else bits.bits(6, info[i]! >> 2); // general_constraint_info
      }
      if (numSublayers > 1) {
        for (let i = numSublayers - 2; i >= 0; i--)
          bits.bits(1, ptl.sublayerLevelIdcs[i] === undefined ? 0 : 1); // ptl_sublayer_level_present_flag[i]
        bits.bits(9 - numSublayers, ptl.reservedZeroBits); // ptl_reserved_zero_bit
      }
      for (let i = numSublayers - 2; i >= 0; i--) {
        const level = ptl.sublayerLevelIdcs[i];
        if (level !== undefined) writer.u8(level); // sublayer_level_idc[i]
      }
      writer.u8(ptl.generalSubProfileIdcs.length); // ptl_num_sub_profiles
      for (const idc of ptl.generalSubProfileIdcs) writer.u32(idc); // general_sub_profile_idc[j]
      writer
        .u16(box.maxPictureWidth ?? 0)
        .u16(box.maxPictureHeight ?? 0)
        .u16(box.avgFrameRate ?? 0); // max_picture_width, max_picture_height, avg_frame_rate
    }
    writer.u8(box.arrays.length); // num_of_arrays
    for (const array of box.arrays) {
      writer.u8((array.arrayCompleteness << 7) | (array.reserved << 5) | array.naluType); // array_completeness, reserved, NAL_unit_type
      if (array.naluType === DCI_NUT || array.naluType === OPI_NUT) {
        if (array.nalus.length !== 1)
          throw new RangeError(
            `a vvcC array of type ${array.naluType} holds one NAL unit, got ${array.nalus.length}`,
          );
      } else writer.u16(array.nalus.length); // num_nalus
      for (const nalu of array.nalus) writer.u16(nalu.length).bytes(nalu); // nal_unit_length, nal_unit
    }
  },
};
