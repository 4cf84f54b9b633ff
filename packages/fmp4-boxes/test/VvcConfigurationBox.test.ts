/**
 * `vvcC` (ISO/IEC 14496-15 11.2.4.2, VvcDecoderConfigurationRecord) from
 * hand-packed bits, one comment per syntax element: with its VvcPTLRecord
 * (sublayer levels, sub-profiles, a constraint-info run across byte
 * boundaries) and NAL unit arrays (OPI without num_nalus), and without a PTL.
 */

import { alignedBits, fullBox, u8, u16, u32 } from '@rec/test-support';
import { describe, expect, it } from 'vitest';
import { parseBoxes, type VvcConfigurationBox } from '../src/index.js';
import { expectRoundTrip } from './helpers/roundTrip.js';

const read = (fields: number[]) => {
  const input = new Uint8Array(fields);
  expectRoundTrip(input);
  return parseBoxes(input)[0] as VvcConfigurationBox;
};

describe('vvcC', () => {
  it('with a VvcPTLRecord of three sublayers and SPS, PPS and OPI arrays', () => {
    const sps = [0x00, 0x79, 0x00, 0xad, 0x02];
    const pps = [0x00, 0x81, 0x00, 0x06];
    const opi = [0x00, 0x61, 0x7f];
    const vvcC = read(
      fullBox(
        'vvcC',
        0,
        0,
        alignedBits(
          [5, 0x1f], // reserved
          [2, 3], // LengthSizeMinusOne
          [1, 1], // ptl_present_flag
          [9, 0], // ols_idx
          [3, 3], // num_sublayers
          [2, 1], // constant_frame_rate
          [2, 1], // chroma_format_idc
          [3, 2], // bit_depth_minus8
          [5, 0x1f], // reserved
          [2, 0], // reserved
          [6, 2], // num_bytes_constraint_info
          [7, 1], // general_profile_idc: Main 10
          [1, 0], // general_tier_flag
          [8, 83], // general_level_idc: 5.1
          [1, 1], // ptl_frame_only_constraint_flag
          [1, 0], // ptl_multi_layer_enabled_flag
          [14, 0b10110011100101], // general_constraint_info (8 x 2 - 2 bits)
          [1, 1], // ptl_sublayer_level_present_flag[1]
          [1, 0], // ptl_sublayer_level_present_flag[0]
          [6, 0], // ptl_reserved_zero_bit (j = 3..8)
        ),
        u8(80), // sublayer_level_idc[1]
        u8(1), // ptl_num_sub_profiles
        u32(0x12345678), // general_sub_profile_idc[0]
        u16(1920), // max_picture_width
        u16(1080), // max_picture_height
        u16(0), // avg_frame_rate
        u8(3), // num_of_arrays
        u8(0x80 | 15), // array_completeness, reserved, NAL_unit_type: SPS
        u16(1), // num_nalus
        u16(sps.length), // nal_unit_length
        sps, // nal_unit
        u8(0x80 | 16), // array_completeness, reserved, NAL_unit_type: PPS
        u16(1), // num_nalus
        u16(pps.length), // nal_unit_length
        pps, // nal_unit
        u8(12), // array_completeness 0, reserved, NAL_unit_type: OPI (no num_nalus)
        u16(opi.length), // nal_unit_length
        opi, // nal_unit
      ),
    );
    expect(vvcC).toMatchObject({
      version: 0,
      reserved: 0x1f,
      naluLengthSize: 4,
      olsIdx: 0,
      numSublayers: 3,
      constantFrameRate: 1,
      chromaFormatIdc: 1,
      bitDepthMinus8: 2,
      reserved2: 0x1f,
      maxPictureWidth: 1920,
      maxPictureHeight: 1080,
      avgFrameRate: 0,
      nativePtl: {
        reserved: 0,
        generalProfileIdc: 1,
        generalTierFlag: 0,
        generalLevelIdc: 83,
        ptlFrameOnlyConstraintFlag: 1,
        ptlMultiLayerEnabledFlag: 0,
        // The 14 bits left-aligned in 2 bytes: 10110011 100101(00).
        generalConstraintInfo: new Uint8Array([0b10110011, 0b10010100]),
        sublayerLevelIdcs: [undefined, 80],
        reservedZeroBits: 0,
        generalSubProfileIdcs: [0x12345678],
      },
    });
    expect(vvcC.arrays.map((a) => [a.arrayCompleteness, a.naluType, a.nalus.length])).toEqual([
      [1, 15, 1],
      [1, 16, 1],
      [0, 12, 1],
    ]);
    expect(vvcC.arrays[2]!.nalus[0]).toEqual(new Uint8Array(opi));
  });

  it('without a PTL (ptl_present_flag 0) and no arrays', () => {
    const vvcC = read(
      fullBox(
        'vvcC',
        0,
        0,
        alignedBits(
          [5, 0x1f], // reserved
          [2, 1], // LengthSizeMinusOne
          [1, 0], // ptl_present_flag
        ),
        u8(0), // num_of_arrays
      ),
    );
    expect(vvcC).toMatchObject({ naluLengthSize: 2, arrays: [] });
    expect(vvcC.nativePtl).toBeUndefined();
    expect(vvcC.olsIdx).toBeUndefined();
  });

  it('a num_bytes_constraint_info of 0 is BOX_INVALID', () => {
    const input = new Uint8Array(
      fullBox(
        'vvcC',
        0,
        0,
        alignedBits([5, 0x1f], [2, 3], [1, 1], [24, 0], [2, 0], [6, 0], [8, 1], [8, 0]),
        u8(0),
      ),
    );
    expect(() => parseBoxes(input)).toThrow(expect.objectContaining({ code: 'BOX_INVALID' }));
  });
});
