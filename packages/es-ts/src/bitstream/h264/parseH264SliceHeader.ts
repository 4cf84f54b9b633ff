import type { BitReader } from '../BitReader.js';
import { H264NalType } from './H264NalType.js';
import type { H264Pps } from './parseH264Pps.js';
import type { H264Sps } from './parseH264Sps.js';

/** slice_header() fields (ITU-T H.264 7.3.3) that access-unit detection and POC need. */
export interface H264SliceHeader {
  nalType: number;
  nalRefIdc: number;
  firstMbInSlice: number;
  /** slice_type % 5: 0 P, 1 B, 2 I, 3 SP, 4 SI. */
  sliceType: number;
  ppsId: number;
  frameNum: number;
  fieldPic: boolean;
  bottomField: boolean;
  idrPicId: number;
  picOrderCntLsb: number;
  deltaPicOrderCntBottom: number;
  deltaPicOrderCnt0: number;
  deltaPicOrderCnt1: number;
  redundantPicCnt: number;
  /** dec_ref_pic_marking() holds memory_management_control_operation 5. */
  mmco5: boolean;
}

export interface H264ParameterSets {
  sps: ReadonlyMap<number, H264Sps>;
  pps: ReadonlyMap<number, H264Pps>;
}

const P = 0;
const B = 1;
const I = 2;
const SP = 3;
const SI = 4;

/** ref_pic_list_modification() (7.3.3.1) of one list, skipped. */
function skipRefPicListModification(r: BitReader): void {
  if (!r.flag('ref_pic_list_modification_flag')) return;
  for (let i = 0; i <= 100; i++) {
    const idc = r.ue('modification_of_pic_nums_idc');
    if (idc === 3) return;
    if (idc > 5) r.fail('modification_of_pic_nums_idc', `expected 0 to 5, got ${idc}`);
    r.ue(idc === 2 ? 'long_term_pic_num' : 'abs_diff_pic_num_minus1');
  }
  r.fail('ref_pic_list_modification', 'more than 100 operations');
}

/** pred_weight_table() (7.3.3.2), skipped. */
function skipPredWeightTable(
  r: BitReader,
  chromaArrayType: number,
  l0: number,
  l1: number,
  b: boolean,
): void {
  r.ue('luma_log2_weight_denom');
  if (chromaArrayType !== 0) r.ue('chroma_log2_weight_denom');
  for (let list = 0; list < (b ? 2 : 1); list++) {
    const count = list === 0 ? l0 : l1;
    for (let i = 0; i < count; i++) {
      if (r.flag('luma_weight_flag')) {
        r.se('luma_weight');
        r.se('luma_offset');
      }
      if (chromaArrayType !== 0 && r.flag('chroma_weight_flag')) {
        for (let j = 0; j < 2; j++) {
          r.se('chroma_weight');
          r.se('chroma_offset');
        }
      }
    }
  }
}

/**
 * Parses a slice header up to dec_ref_pic_marking() (the fields after it are
 * not needed). `r` starts after the 1-byte NAL header.
 */
export function parseH264SliceHeader(
  r: BitReader,
  nalType: number,
  nalRefIdc: number,
  sets: H264ParameterSets,
): H264SliceHeader {
  const firstMbInSlice = r.ue('first_mb_in_slice');
  const rawSliceType = r.ue('slice_type');
  if (rawSliceType > 9) r.fail('slice_type', `expected 0 to 9, got ${rawSliceType}`);
  const sliceType = rawSliceType % 5;
  const ppsId = r.ue('pic_parameter_set_id');
  const pps = sets.pps.get(ppsId);
  if (!pps) r.fail('pic_parameter_set_id', `refers to PPS ${ppsId}, which has not been seen`);
  const sps = sets.sps.get(pps.spsId);
  if (!sps)
    r.fail('pic_parameter_set_id', `PPS ${ppsId} refers to SPS ${pps.spsId}, which has not been seen`);
  if (sps.separateColourPlane) r.skip(2, 'colour_plane_id');
  const frameNum = r.u(sps.log2MaxFrameNum, 'frame_num');
  let fieldPic = false;
  let bottomField = false;
  if (!sps.frameMbsOnly) {
    fieldPic = r.flag('field_pic_flag');
    if (fieldPic) bottomField = r.flag('bottom_field_flag');
  }
  const idr = nalType === H264NalType.IdrSlice;
  const idrPicId = idr ? r.ue('idr_pic_id') : 0;
  let picOrderCntLsb = 0;
  let deltaPicOrderCntBottom = 0;
  let deltaPicOrderCnt0 = 0;
  let deltaPicOrderCnt1 = 0;
  if (sps.picOrderCntType === 0) {
    picOrderCntLsb = r.u(sps.log2MaxPicOrderCntLsb, 'pic_order_cnt_lsb');
    if (pps.bottomFieldPicOrderInFramePresent && !fieldPic) {
      deltaPicOrderCntBottom = r.se('delta_pic_order_cnt_bottom');
    }
  }
  if (sps.picOrderCntType === 1 && !sps.deltaPicOrderAlwaysZero) {
    deltaPicOrderCnt0 = r.se('delta_pic_order_cnt[0]');
    if (pps.bottomFieldPicOrderInFramePresent && !fieldPic)
      deltaPicOrderCnt1 = r.se('delta_pic_order_cnt[1]');
  }
  const redundantPicCnt = pps.redundantPicCntPresent ? r.ue('redundant_pic_cnt') : 0;
  if (sliceType === B) r.flag('direct_spatial_mv_pred_flag');
  let l0 = pps.numRefIdxL0DefaultActive;
  let l1 = pps.numRefIdxL1DefaultActive;
  if (sliceType === P || sliceType === SP || sliceType === B) {
    if (r.flag('num_ref_idx_active_override_flag')) {
      l0 = r.ue('num_ref_idx_l0_active_minus1') + 1;
      if (sliceType === B) l1 = r.ue('num_ref_idx_l1_active_minus1') + 1;
      if (l0 > 32 || l1 > 32) r.fail('num_ref_idx_active_minus1', 'expected 0 to 31');
    }
  }
  // ref_pic_list_modification() (nal_unit_type 20/21 use the MVC form; those NALs are not parsed here).
  if (sliceType !== I && sliceType !== SI) {
    skipRefPicListModification(r);
    if (sliceType === B) skipRefPicListModification(r);
  }
  if (
    (pps.weightedPred && (sliceType === P || sliceType === SP)) ||
    (pps.weightedBipredIdc === 1 && sliceType === B)
  ) {
    const chromaArrayType = sps.separateColourPlane ? 0 : sps.chromaFormatIdc;
    skipPredWeightTable(r, chromaArrayType, l0, l1, sliceType === B);
  }
  let mmco5 = false;
  if (nalRefIdc !== 0) {
    // dec_ref_pic_marking() 7.3.3.3
    if (idr) r.skip(2, 'no_output_of_prior_pics_flag, long_term_reference_flag');
    else if (r.flag('adaptive_ref_pic_marking_mode_flag')) {
      for (let i = 0; i <= 100; i++) {
        const op = r.ue('memory_management_control_operation');
        if (op === 0) break;
        if (op > 6) r.fail('memory_management_control_operation', `expected 0 to 6, got ${op}`);
        if (op === 5) mmco5 = true;
        if (op === 1 || op === 3) r.ue('difference_of_pic_nums_minus1');
        if (op === 2) r.ue('long_term_pic_num');
        if (op === 3 || op === 6) r.ue('long_term_frame_idx');
        if (op === 4) r.ue('max_long_term_frame_idx_plus1');
        if (i === 100) r.fail('dec_ref_pic_marking', 'more than 100 operations');
      }
    }
  }
  return {
    nalType,
    nalRefIdc,
    firstMbInSlice,
    sliceType,
    ppsId,
    frameNum,
    fieldPic,
    bottomField,
    idrPicId,
    picOrderCntLsb,
    deltaPicOrderCntBottom,
    deltaPicOrderCnt0,
    deltaPicOrderCnt1,
    redundantPicCnt,
    mmco5,
  };
}

/**
 * 7.4.1.2.4: does the slice `b` start a new primary coded picture after
 * slice `a` of the current one? (first_mb_in_slice is not compared, as the
 * clause says; redundant slices never start a picture.)
 */
export function isNewH264Picture(a: H264SliceHeader, b: H264SliceHeader, sps: H264Sps): boolean {
  if (b.redundantPicCnt > 0) return false;
  if (a.frameNum !== b.frameNum) return true;
  if (a.ppsId !== b.ppsId) return true;
  if (a.fieldPic !== b.fieldPic) return true;
  if (a.fieldPic && a.bottomField !== b.bottomField) return true;
  if (a.nalRefIdc !== b.nalRefIdc && (a.nalRefIdc === 0 || b.nalRefIdc === 0)) return true;
  if (sps.picOrderCntType === 0) {
    if (a.picOrderCntLsb !== b.picOrderCntLsb || a.deltaPicOrderCntBottom !== b.deltaPicOrderCntBottom)
      return true;
  } else if (sps.picOrderCntType === 1) {
    if (a.deltaPicOrderCnt0 !== b.deltaPicOrderCnt0 || a.deltaPicOrderCnt1 !== b.deltaPicOrderCnt1)
      return true;
  }
  const aIdr = a.nalType === 5;
  const bIdr = b.nalType === 5;
  if (aIdr !== bIdr) return true;
  if (aIdr && bIdr && a.idrPicId !== b.idrPicId) return true;
  return false;
}
