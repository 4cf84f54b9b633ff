import type { BitReader } from '../BitReader.js';
import { isHevcIdr, isHevcIrap } from './HevcNalType.js';
import type { HevcPps } from './parseHevcPps.js';
import type { HevcSps } from './parseHevcSps.js';

/** slice_segment_header() fields (ITU-T H.265 7.3.6.1) that POC and access-unit detection need. */
export interface HevcSliceHeader {
  nalType: number;
  temporalId: number;
  firstSliceSegmentInPic: boolean;
  noOutputOfPriorPics: boolean;
  ppsId: number;
  dependentSliceSegment: boolean;
  /** slice_segment_address: the first CTB of the segment in raster scan (0 for the first one). */
  sliceSegmentAddress: number;
  sliceType: number;
  picOutput: boolean;
  /** 0 for IDR pictures. */
  picOrderCntLsb: number;
}

/** Parses a slice segment header up to slice_pic_order_cnt_lsb. `r` starts after the 2-byte NAL header. */
export function parseHevcSliceHeader(
  r: BitReader,
  nalType: number,
  temporalId: number,
  sets: { sps: ReadonlyMap<number, HevcSps>; pps: ReadonlyMap<number, HevcPps> },
): HevcSliceHeader {
  const firstSliceSegmentInPic = r.flag('first_slice_segment_in_pic_flag');
  const noOutputOfPriorPics = isHevcIrap(nalType) ? r.flag('no_output_of_prior_pics_flag') : false;
  const ppsId = r.ue('slice_pic_parameter_set_id');
  const pps = sets.pps.get(ppsId);
  if (!pps) r.fail('slice_pic_parameter_set_id', `refers to PPS ${ppsId}, which has not been seen`);
  const sps = sets.sps.get(pps.spsId);
  if (!sps)
    r.fail('slice_pic_parameter_set_id', `PPS ${ppsId} refers to SPS ${pps.spsId}, which has not been seen`);
  let dependentSliceSegment = false;
  let sliceSegmentAddress = 0;
  if (!firstSliceSegmentInPic) {
    if (pps.dependentSliceSegmentsEnabled) dependentSliceSegment = r.flag('dependent_slice_segment_flag');
    sliceSegmentAddress = r.u(Math.ceil(Math.log2(sps.picSizeInCtbs)), 'slice_segment_address');
  }
  let sliceType = 2;
  let picOutput = true;
  let picOrderCntLsb = 0;
  if (!dependentSliceSegment) {
    r.skip(pps.numExtraSliceHeaderBits, 'slice_reserved_flag');
    sliceType = r.ue('slice_type');
    if (sliceType > 2) r.fail('slice_type', `expected 0 to 2, got ${sliceType}`);
    if (pps.outputFlagPresent) picOutput = r.flag('pic_output_flag');
    if (sps.separateColourPlane) r.skip(2, 'colour_plane_id');
    if (!isHevcIdr(nalType)) picOrderCntLsb = r.u(sps.log2MaxPicOrderCntLsb, 'slice_pic_order_cnt_lsb');
  }
  return {
    nalType,
    temporalId,
    firstSliceSegmentInPic,
    noOutputOfPriorPics,
    ppsId,
    dependentSliceSegment,
    sliceSegmentAddress,
    sliceType,
    picOutput,
    picOrderCntLsb,
  };
}
