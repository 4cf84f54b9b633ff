import type { BitReader } from '../BitReader.js';
import { skipVuiDisplayInfo } from '../skipVuiDisplayInfo.js';
import { skipProfileTierLevel } from './skipProfileTierLevel.js';

/** seq_parameter_set_rbsp() fields (ITU-T H.265 7.3.2.2) timing and slice headers need. */
export interface HevcSps {
  vpsId: number;
  spsId: number;
  maxSubLayersMinus1: number;
  separateColourPlane: boolean;
  width: number;
  height: number;
  bitDepthLuma: number;
  log2MaxPicOrderCntLsb: number;
  /** sps_max_num_reorder_pics[HighestTid]. */
  maxNumReorderPics: number;
  maxDecPicBuffering: number;
  /** PicSizeInCtbsY, for the length of slice_segment_address. */
  picSizeInCtbs: number;
  timing: { numUnitsInTick: number; timeScale: number } | undefined;
  fieldSeq: boolean;
}

/** scaling_list_data() (7.3.4), skipped. */
function skipScalingListData(r: BitReader): void {
  for (let sizeId = 0; sizeId < 4; sizeId++) {
    for (let matrixId = 0; matrixId < 6; matrixId += sizeId === 3 ? 3 : 1) {
      if (!r.flag('scaling_list_pred_mode_flag')) r.ue('scaling_list_pred_matrix_id_delta');
      else {
        const coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
        if (sizeId > 1) r.se('scaling_list_dc_coef_minus8');
        for (let i = 0; i < coefNum; i++) r.se('scaling_list_delta_coef');
      }
    }
  }
}

/** st_ref_pic_set(stRpsIdx) (7.3.7) as it appears in the SPS; returns NumDeltaPocs[stRpsIdx]. */
function skipStRefPicSet(r: BitReader, idx: number, numDeltaPocs: readonly number[]): number {
  if (idx !== 0 && r.flag('inter_ref_pic_set_prediction_flag')) {
    r.flag('delta_rps_sign');
    r.ue('abs_delta_rps_minus1');
    const ref = numDeltaPocs[idx - 1] ?? 0;
    let count = 0;
    for (let j = 0; j <= ref; j++) {
      const used = r.flag('used_by_curr_pic_flag');
      const useDelta = used ? true : r.flag('use_delta_flag');
      if (useDelta) count++;
    }
    return count;
  }
  const negative = r.ue('num_negative_pics');
  const positive = r.ue('num_positive_pics');
  if (negative > 16 || positive > 16) r.fail('num_negative_pics', 'expected at most 16 pictures');
  for (let i = 0; i < negative + positive; i++) {
    r.ue('delta_poc_minus1');
    r.flag('used_by_curr_pic_flag');
  }
  return negative + positive;
}

/** Parses an SPS RBSP (after the 2-byte NAL header) up to the VUI timing info. */
export function parseHevcSps(r: BitReader): HevcSps {
  const vpsId = r.u(4, 'sps_video_parameter_set_id');
  const maxSubLayersMinus1 = r.u(3, 'sps_max_sub_layers_minus1');
  if (maxSubLayersMinus1 > 6)
    r.fail('sps_max_sub_layers_minus1', `expected 0 to 6, got ${maxSubLayersMinus1}`);
  r.skip(1, 'sps_temporal_id_nesting_flag');
  skipProfileTierLevel(r, maxSubLayersMinus1);
  const spsId = r.ue('sps_seq_parameter_set_id');
  if (spsId > 15) r.fail('sps_seq_parameter_set_id', `expected 0 to 15, got ${spsId}`);
  const chromaFormatIdc = r.ue('chroma_format_idc');
  if (chromaFormatIdc > 3) r.fail('chroma_format_idc', `expected 0 to 3, got ${chromaFormatIdc}`);
  const separateColourPlane = chromaFormatIdc === 3 ? r.flag('separate_colour_plane_flag') : false;
  const width = r.ue('pic_width_in_luma_samples');
  const height = r.ue('pic_height_in_luma_samples');
  if (r.flag('conformance_window_flag')) {
    for (let i = 0; i < 4; i++) r.ue('conf_win_offset');
  }
  const bitDepthLuma = r.ue('bit_depth_luma_minus8') + 8;
  r.ue('bit_depth_chroma_minus8');
  const log2MaxPicOrderCntLsb = r.ue('log2_max_pic_order_cnt_lsb_minus4') + 4;
  if (log2MaxPicOrderCntLsb > 16) {
    r.fail('log2_max_pic_order_cnt_lsb_minus4', `expected 0 to 12, got ${log2MaxPicOrderCntLsb - 4}`);
  }
  const orderingPresent = r.flag('sps_sub_layer_ordering_info_present_flag');
  let maxNumReorderPics = 0;
  let maxDecPicBuffering = 1;
  for (let i = orderingPresent ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
    maxDecPicBuffering = r.ue('sps_max_dec_pic_buffering_minus1') + 1;
    maxNumReorderPics = r.ue('sps_max_num_reorder_pics');
    r.ue('sps_max_latency_increase_plus1');
  }
  const log2MinCb = r.ue('log2_min_luma_coding_block_size_minus3') + 3;
  const log2Ctb = log2MinCb + r.ue('log2_diff_max_min_luma_coding_block_size');
  if (log2Ctb > 7) r.fail('log2_diff_max_min_luma_coding_block_size', `CTB size 2^${log2Ctb} is above 128`);
  r.ue('log2_min_luma_transform_block_size_minus2');
  r.ue('log2_diff_max_min_luma_transform_block_size');
  r.ue('max_transform_hierarchy_depth_inter');
  r.ue('max_transform_hierarchy_depth_intra');
  if (r.flag('scaling_list_enabled_flag')) {
    if (r.flag('sps_scaling_list_data_present_flag')) skipScalingListData(r);
  }
  r.skip(2, 'amp_enabled_flag, sample_adaptive_offset_enabled_flag');
  if (r.flag('pcm_enabled_flag')) {
    r.skip(8, 'pcm_sample_bit_depth');
    r.ue('log2_min_pcm_luma_coding_block_size_minus3');
    r.ue('log2_diff_max_min_pcm_luma_coding_block_size');
    r.skip(1, 'pcm_loop_filter_disabled_flag');
  }
  const numStRps = r.ue('num_short_term_ref_pic_sets');
  if (numStRps > 64) r.fail('num_short_term_ref_pic_sets', `expected 0 to 64, got ${numStRps}`);
  const numDeltaPocs: number[] = [];
  for (let i = 0; i < numStRps; i++) numDeltaPocs.push(skipStRefPicSet(r, i, numDeltaPocs));
  if (r.flag('long_term_ref_pics_present_flag')) {
    const n = r.ue('num_long_term_ref_pics_sps');
    if (n > 32) r.fail('num_long_term_ref_pics_sps', `expected 0 to 32, got ${n}`);
    for (let i = 0; i < n; i++) {
      r.skip(log2MaxPicOrderCntLsb, 'lt_ref_pic_poc_lsb_sps');
      r.skip(1, 'used_by_curr_pic_lt_sps_flag');
    }
  }
  r.skip(2, 'sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag');
  let timing: HevcSps['timing'];
  let fieldSeq = false;
  if (r.flag('vui_parameters_present_flag')) {
    // vui_parameters() E.2.1, up to vui_timing_info
    skipVuiDisplayInfo(r);
    r.skip(1, 'neutral_chroma_indication_flag');
    fieldSeq = r.flag('field_seq_flag');
    r.skip(1, 'frame_field_info_present_flag');
    if (r.flag('default_display_window_flag')) {
      for (let i = 0; i < 4; i++) r.ue('def_disp_win_offset');
    }
    if (r.flag('vui_timing_info_present_flag')) {
      const numUnitsInTick = r.u(32, 'vui_num_units_in_tick');
      const timeScale = r.u(32, 'vui_time_scale');
      if (numUnitsInTick > 0 && timeScale > 0) timing = { numUnitsInTick, timeScale };
    }
  }
  const ctb = 1 << log2Ctb;
  const picSizeInCtbs = Math.ceil(width / ctb) * Math.ceil(height / ctb);
  return {
    vpsId,
    spsId,
    maxSubLayersMinus1,
    separateColourPlane,
    width,
    height,
    bitDepthLuma,
    log2MaxPicOrderCntLsb,
    maxNumReorderPics,
    maxDecPicBuffering,
    picSizeInCtbs,
    timing,
    fieldSeq,
  };
}
