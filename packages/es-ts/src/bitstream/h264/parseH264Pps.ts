import type { BitReader } from '../BitReader.js';

/** The pic_parameter_set_rbsp() fields slice headers need (ITU-T H.264 7.3.2.2). */
export interface H264Pps {
  ppsId: number;
  spsId: number;
  entropyCodingModeFlag: boolean;
  bottomFieldPicOrderInFramePresent: boolean;
  numRefIdxL0DefaultActive: number;
  numRefIdxL1DefaultActive: number;
  weightedPred: boolean;
  weightedBipredIdc: number;
  redundantPicCntPresent: boolean;
}

/** Parses the start of a PPS RBSP up to redundant_pic_cnt_present_flag (the rest is not needed). */
export function parseH264Pps(r: BitReader): H264Pps {
  const ppsId = r.ue('pic_parameter_set_id');
  if (ppsId > 255) r.fail('pic_parameter_set_id', `expected 0 to 255, got ${ppsId}`);
  const spsId = r.ue('seq_parameter_set_id');
  if (spsId > 31) r.fail('seq_parameter_set_id', `expected 0 to 31, got ${spsId}`);
  const entropyCodingModeFlag = r.flag('entropy_coding_mode_flag');
  const bottomFieldPicOrderInFramePresent = r.flag('bottom_field_pic_order_in_frame_present_flag');
  const numSliceGroups = r.ue('num_slice_groups_minus1') + 1;
  if (numSliceGroups > 8) r.fail('num_slice_groups_minus1', `expected 0 to 7, got ${numSliceGroups - 1}`);
  if (numSliceGroups > 1) {
    const mapType = r.ue('slice_group_map_type');
    if (mapType === 0) {
      for (let i = 0; i < numSliceGroups; i++) r.ue('run_length_minus1');
    } else if (mapType === 2) {
      for (let i = 0; i < numSliceGroups - 1; i++) {
        r.ue('top_left');
        r.ue('bottom_right');
      }
    } else if (mapType >= 3 && mapType <= 5) {
      r.flag('slice_group_change_direction_flag');
      r.ue('slice_group_change_rate_minus1');
    } else if (mapType === 6) {
      const units = r.ue('pic_size_in_map_units_minus1') + 1;
      const bits = Math.ceil(Math.log2(numSliceGroups));
      if (units > 1 << 20) r.fail('pic_size_in_map_units_minus1', `too large: ${units - 1}`);
      r.skip(units * bits, 'slice_group_id');
    } else if (mapType > 6) r.fail('slice_group_map_type', `expected 0 to 6, got ${mapType}`);
  }
  const numRefIdxL0DefaultActive = r.ue('num_ref_idx_l0_default_active_minus1') + 1;
  const numRefIdxL1DefaultActive = r.ue('num_ref_idx_l1_default_active_minus1') + 1;
  if (numRefIdxL0DefaultActive > 32 || numRefIdxL1DefaultActive > 32) {
    r.fail('num_ref_idx_default_active_minus1', 'expected 0 to 31');
  }
  const weightedPred = r.flag('weighted_pred_flag');
  const weightedBipredIdc = r.u(2, 'weighted_bipred_idc');
  r.se('pic_init_qp_minus26');
  r.se('pic_init_qs_minus26');
  r.se('chroma_qp_index_offset');
  r.flag('deblocking_filter_control_present_flag');
  r.flag('constrained_intra_pred_flag');
  const redundantPicCntPresent = r.flag('redundant_pic_cnt_present_flag');
  return {
    ppsId,
    spsId,
    entropyCodingModeFlag,
    bottomFieldPicOrderInFramePresent,
    numRefIdxL0DefaultActive,
    numRefIdxL1DefaultActive,
    weightedPred,
    weightedBipredIdc,
    redundantPicCntPresent,
  };
}
