import type { BitReader } from '../BitReader.js';
import { skipVuiDisplayInfo } from '../skipVuiDisplayInfo.js';

/** The seq_parameter_set_data() fields timing and slice parsing need (ITU-T H.264 7.3.2.1.1, E.1.1). */
export interface H264Sps {
  profileIdc: number;
  constraintFlags: number;
  levelIdc: number;
  spsId: number;
  chromaFormatIdc: number;
  separateColourPlane: boolean;
  bitDepthLuma: number;
  log2MaxFrameNum: number;
  picOrderCntType: number;
  log2MaxPicOrderCntLsb: number;
  deltaPicOrderAlwaysZero: boolean;
  offsetForNonRefPic: number;
  offsetForTopToBottomField: number;
  offsetForRefFrame: number[];
  maxNumRefFrames: number;
  widthInMbs: number;
  /** FrameHeightInMbs = (2 - frame_mbs_only_flag) * PicHeightInMapUnits. */
  frameHeightInMbs: number;
  frameMbsOnly: boolean;
  mbAdaptiveFrameField: boolean;
  /** VUI timing_info, when present. */
  timing: { numUnitsInTick: number; timeScale: number; fixedFrameRate: boolean } | undefined;
  /**
   * Bit position of timing_info_present_flag in the RBSP (NAL header byte
   * included), undefined without VUI: where a tool that rewrites the SPS
   * (e.g. removes the timing) cuts.
   */
  timingInfoFlagBit: number | undefined;
  /** VUI bitstream_restriction, when present. */
  maxNumReorderFrames: number | undefined;
  maxDecFrameBuffering: number | undefined;
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** scaling_list() (7.3.2.1.1.1): parsed only to be skipped. */
function skipScalingList(r: BitReader, size: number): void {
  let lastScale = 8;
  let nextScale = 8;
  for (let j = 0; j < size; j++) {
    if (nextScale !== 0) {
      const delta = r.se('delta_scale');
      nextScale = (lastScale + delta + 256) % 256;
    }
    lastScale = nextScale === 0 ? lastScale : nextScale;
  }
}

/** hrd_parameters() (E.1.2), skipped. */
function skipHrd(r: BitReader): void {
  const cpbCnt = r.ue('cpb_cnt_minus1') + 1;
  if (cpbCnt > 32) r.fail('cpb_cnt_minus1', `expected 0 to 31, got ${cpbCnt - 1}`);
  r.skip(8, 'bit_rate_scale, cpb_size_scale');
  for (let i = 0; i < cpbCnt; i++) {
    r.ue('bit_rate_value_minus1');
    r.ue('cpb_size_value_minus1');
    r.skip(1, 'cbr_flag');
  }
  r.skip(20, 'initial_cpb_removal_delay_length_minus1 .. time_offset_length');
}

/** Parses an SPS RBSP (after the 1-byte NAL header). */
export function parseH264Sps(r: BitReader): H264Sps {
  const profileIdc = r.u(8, 'profile_idc');
  const constraintFlags = r.u(8, 'constraint_set_flags');
  const levelIdc = r.u(8, 'level_idc');
  const spsId = r.ue('seq_parameter_set_id');
  if (spsId > 31) r.fail('seq_parameter_set_id', `expected 0 to 31, got ${spsId}`);
  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLuma = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.ue('chroma_format_idc');
    if (chromaFormatIdc > 3) r.fail('chroma_format_idc', `expected 0 to 3, got ${chromaFormatIdc}`);
    if (chromaFormatIdc === 3) separateColourPlane = r.flag('separate_colour_plane_flag');
    bitDepthLuma = r.ue('bit_depth_luma_minus8') + 8;
    r.ue('bit_depth_chroma_minus8');
    r.flag('qpprime_y_zero_transform_bypass_flag');
    if (r.flag('seq_scaling_matrix_present_flag')) {
      const lists = chromaFormatIdc !== 3 ? 8 : 12;
      for (let i = 0; i < lists; i++) {
        if (r.flag('seq_scaling_list_present_flag')) skipScalingList(r, i < 6 ? 16 : 64);
      }
    }
  }
  const log2MaxFrameNum = r.ue('log2_max_frame_num_minus4') + 4;
  if (log2MaxFrameNum > 16)
    r.fail('log2_max_frame_num_minus4', `expected 0 to 12, got ${log2MaxFrameNum - 4}`);
  const picOrderCntType = r.ue('pic_order_cnt_type');
  let log2MaxPicOrderCntLsb = 0;
  let deltaPicOrderAlwaysZero = false;
  let offsetForNonRefPic = 0;
  let offsetForTopToBottomField = 0;
  const offsetForRefFrame: number[] = [];
  if (picOrderCntType === 0) {
    log2MaxPicOrderCntLsb = r.ue('log2_max_pic_order_cnt_lsb_minus4') + 4;
    if (log2MaxPicOrderCntLsb > 16) {
      r.fail('log2_max_pic_order_cnt_lsb_minus4', `expected 0 to 12, got ${log2MaxPicOrderCntLsb - 4}`);
    }
  } else if (picOrderCntType === 1) {
    deltaPicOrderAlwaysZero = r.flag('delta_pic_order_always_zero_flag');
    offsetForNonRefPic = r.se('offset_for_non_ref_pic');
    offsetForTopToBottomField = r.se('offset_for_top_to_bottom_field');
    const cycle = r.ue('num_ref_frames_in_pic_order_cnt_cycle');
    if (cycle > 255) r.fail('num_ref_frames_in_pic_order_cnt_cycle', `expected 0 to 255, got ${cycle}`);
    for (let i = 0; i < cycle; i++) offsetForRefFrame.push(r.se('offset_for_ref_frame'));
  } else if (picOrderCntType !== 2) {
    r.fail('pic_order_cnt_type', `expected 0, 1 or 2, got ${picOrderCntType}`);
  }
  const maxNumRefFrames = r.ue('max_num_ref_frames');
  r.flag('gaps_in_frame_num_value_allowed_flag');
  const widthInMbs = r.ue('pic_width_in_mbs_minus1') + 1;
  const heightInMapUnits = r.ue('pic_height_in_map_units_minus1') + 1;
  const frameMbsOnly = r.flag('frame_mbs_only_flag');
  const mbAdaptiveFrameField = frameMbsOnly ? false : r.flag('mb_adaptive_frame_field_flag');
  r.flag('direct_8x8_inference_flag');
  if (r.flag('frame_cropping_flag')) {
    for (let i = 0; i < 4; i++) r.ue('frame_crop_offset');
  }
  let timing: H264Sps['timing'];
  let timingInfoFlagBit: number | undefined;
  let maxNumReorderFrames: number | undefined;
  let maxDecFrameBuffering: number | undefined;
  if (r.flag('vui_parameters_present_flag')) {
    // vui_parameters() E.1.1
    skipVuiDisplayInfo(r);
    timingInfoFlagBit = r.position;
    if (r.flag('timing_info_present_flag')) {
      const numUnitsInTick = r.u(32, 'num_units_in_tick');
      const timeScale = r.u(32, 'time_scale');
      const fixedFrameRate = r.flag('fixed_frame_rate_flag');
      if (numUnitsInTick > 0 && timeScale > 0) timing = { numUnitsInTick, timeScale, fixedFrameRate };
    }
    const nalHrd = r.flag('nal_hrd_parameters_present_flag');
    if (nalHrd) skipHrd(r);
    const vclHrd = r.flag('vcl_hrd_parameters_present_flag');
    if (vclHrd) skipHrd(r);
    if (nalHrd || vclHrd) r.skip(1, 'low_delay_hrd_flag');
    r.skip(1, 'pic_struct_present_flag');
    if (r.flag('bitstream_restriction_flag')) {
      r.skip(1, 'motion_vectors_over_pic_boundaries_flag');
      r.ue('max_bytes_per_pic_denom');
      r.ue('max_bits_per_mb_denom');
      r.ue('log2_max_mv_length_horizontal');
      r.ue('log2_max_mv_length_vertical');
      maxNumReorderFrames = r.ue('max_num_reorder_frames');
      maxDecFrameBuffering = r.ue('max_dec_frame_buffering');
    }
  }
  return {
    profileIdc,
    constraintFlags,
    levelIdc,
    spsId,
    chromaFormatIdc,
    separateColourPlane,
    bitDepthLuma,
    log2MaxFrameNum,
    picOrderCntType,
    log2MaxPicOrderCntLsb,
    deltaPicOrderAlwaysZero,
    offsetForNonRefPic,
    offsetForTopToBottomField,
    offsetForRefFrame,
    maxNumRefFrames,
    widthInMbs,
    frameHeightInMbs: (2 - (frameMbsOnly ? 1 : 0)) * heightInMapUnits,
    frameMbsOnly,
    mbAdaptiveFrameField,
    timing,
    timingInfoFlagBit,
    maxNumReorderFrames,
    maxDecFrameBuffering,
  };
}
