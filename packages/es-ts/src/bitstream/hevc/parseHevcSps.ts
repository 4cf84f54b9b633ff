import type { BitReader } from '../BitReader.js';
import { skipVuiDisplayInfo } from '../skipVuiDisplayInfo.js';
import { readShortTermRefPicSet, type ShortTermRps } from './shortTermRefPicSet.js';
import { skipProfileTierLevel } from './skipProfileTierLevel.js';
import { skipScalingListData } from './skipScalingListData.js';

/** seq_parameter_set_rbsp() fields (ITU-T H.265 7.3.2.2) timing and slice headers need. */
export interface HevcSps {
  vpsId: number;
  spsId: number;
  maxSubLayersMinus1: number;
  separateColourPlane: boolean;
  /** ChromaArrayType: chroma_format_idc, or 0 with separate colour planes. */
  chromaArrayType: number;
  width: number;
  height: number;
  bitDepthLuma: number;
  log2MaxPicOrderCntLsb: number;
  /** sps_max_num_reorder_pics[HighestTid]. */
  maxNumReorderPics: number;
  maxDecPicBuffering: number;
  /** PicSizeInCtbsY, for the length of slice_segment_address. */
  picSizeInCtbs: number;
  /** What the rest of a slice segment header depends on (its entry points, parseHevcEntryPoints). */
  sampleAdaptiveOffset: boolean;
  shortTermRps: ShortTermRps[];
  /** long_term_ref_pics_present_flag, with used_by_curr_pic_lt_sps_flag of each of the SPS's long-term pictures. */
  longTermRefs: boolean;
  longTermUsedSps: boolean[];
  temporalMvp: boolean;
  timing: { numUnitsInTick: number; timeScale: number } | undefined;
  fieldSeq: boolean;
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
  r.skip(1, 'amp_enabled_flag');
  const sampleAdaptiveOffset = r.flag('sample_adaptive_offset_enabled_flag');
  if (r.flag('pcm_enabled_flag')) {
    r.skip(8, 'pcm_sample_bit_depth');
    r.ue('log2_min_pcm_luma_coding_block_size_minus3');
    r.ue('log2_diff_max_min_pcm_luma_coding_block_size');
    r.skip(1, 'pcm_loop_filter_disabled_flag');
  }
  const numStRps = r.ue('num_short_term_ref_pic_sets');
  if (numStRps > 64) r.fail('num_short_term_ref_pic_sets', `expected 0 to 64, got ${numStRps}`);
  const shortTermRps: ShortTermRps[] = [];
  for (let i = 0; i < numStRps; i++) shortTermRps.push(readShortTermRefPicSet(r, i, numStRps, shortTermRps));
  const longTermRefs = r.flag('long_term_ref_pics_present_flag');
  const longTermUsedSps: boolean[] = [];
  if (longTermRefs) {
    const n = r.ue('num_long_term_ref_pics_sps');
    if (n > 32) r.fail('num_long_term_ref_pics_sps', `expected 0 to 32, got ${n}`);
    for (let i = 0; i < n; i++) {
      r.skip(log2MaxPicOrderCntLsb, 'lt_ref_pic_poc_lsb_sps');
      longTermUsedSps.push(r.flag('used_by_curr_pic_lt_sps_flag'));
    }
  }
  const temporalMvp = r.flag('sps_temporal_mvp_enabled_flag');
  r.skip(1, 'strong_intra_smoothing_enabled_flag');
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
    chromaArrayType: separateColourPlane ? 0 : chromaFormatIdc,
    width,
    height,
    bitDepthLuma,
    log2MaxPicOrderCntLsb,
    maxNumReorderPics,
    maxDecPicBuffering,
    picSizeInCtbs,
    sampleAdaptiveOffset,
    shortTermRps,
    longTermRefs,
    longTermUsedSps,
    temporalMvp,
    timing,
    fieldSeq,
  };
}
