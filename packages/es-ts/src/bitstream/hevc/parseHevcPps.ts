import { EsParseError } from '../../EsParseError.js';
import type { BitReader } from '../BitReader.js';
import { skipScalingListData } from './skipScalingListData.js';

/** pic_parameter_set_rbsp() fields (ITU-T H.265 7.3.2.3.1) the slice segment header needs. */
export interface HevcPps {
  ppsId: number;
  spsId: number;
  dependentSliceSegmentsEnabled: boolean;
  outputFlagPresent: boolean;
  numExtraSliceHeaderBits: number;
  /**
   * What the rest of a slice segment header depends on, up to its entry
   * points (parseHevcEntryPoints); undefined when the PPS could not be read
   * that far, or has extensions (multilayer, 3D, SCC) that add slice header
   * fields this package does not read.
   */
  slice: HevcPpsSliceFields | undefined;
}

export interface HevcPpsSliceFields {
  cabacInitPresent: boolean;
  numRefIdxL0Default: number;
  numRefIdxL1Default: number;
  sliceChromaQpOffsetsPresent: boolean;
  weightedPred: boolean;
  weightedBipred: boolean;
  tiles: boolean;
  entropyCodingSync: boolean;
  loopFilterAcrossSlices: boolean;
  deblockingFilterOverrideEnabled: boolean;
  deblockingFilterDisabled: boolean;
  listsModificationPresent: boolean;
  sliceSegmentHeaderExtensionPresent: boolean;
  /** pps_range_extension's chroma_qp_offset_list_enabled_flag. */
  chromaQpOffsetList: boolean;
}

export function parseHevcPps(r: BitReader): HevcPps {
  const ppsId = r.ue('pps_pic_parameter_set_id');
  if (ppsId > 63) r.fail('pps_pic_parameter_set_id', `expected 0 to 63, got ${ppsId}`);
  const spsId = r.ue('pps_seq_parameter_set_id');
  if (spsId > 15) r.fail('pps_seq_parameter_set_id', `expected 0 to 15, got ${spsId}`);
  const dependentSliceSegmentsEnabled = r.flag('dependent_slice_segments_enabled_flag');
  const outputFlagPresent = r.flag('output_flag_present_flag');
  const numExtraSliceHeaderBits = r.u(3, 'num_extra_slice_header_bits');
  let slice: HevcPpsSliceFields | undefined;
  try {
    slice = parseSliceFields(r);
  } catch (error) {
    // Timing and access units need only the fields above; this rest only serves a check of slice lengths.
    if (!(error instanceof EsParseError)) throw error;
  }
  return { ppsId, spsId, dependentSliceSegmentsEnabled, outputFlagPresent, numExtraSliceHeaderBits, slice };
}

/** The rest of pic_parameter_set_rbsp(), from sign_data_hiding_enabled_flag. */
function parseSliceFields(r: BitReader): HevcPpsSliceFields | undefined {
  r.skip(1, 'sign_data_hiding_enabled_flag');
  const cabacInitPresent = r.flag('cabac_init_present_flag');
  const numRefIdxL0Default = r.ue('num_ref_idx_l0_default_active_minus1') + 1;
  const numRefIdxL1Default = r.ue('num_ref_idx_l1_default_active_minus1') + 1;
  if (numRefIdxL0Default > 15 || numRefIdxL1Default > 15) {
    r.fail('num_ref_idx_default_active_minus1', 'expected 0 to 14');
  }
  r.se('init_qp_minus26');
  r.skip(1, 'constrained_intra_pred_flag');
  const transformSkip = r.flag('transform_skip_enabled_flag');
  if (r.flag('cu_qp_delta_enabled_flag')) r.ue('diff_cu_qp_delta_depth');
  r.se('pps_cb_qp_offset');
  r.se('pps_cr_qp_offset');
  const sliceChromaQpOffsetsPresent = r.flag('pps_slice_chroma_qp_offsets_present_flag');
  const weightedPred = r.flag('weighted_pred_flag');
  const weightedBipred = r.flag('weighted_bipred_flag');
  r.skip(1, 'transquant_bypass_enabled_flag');
  const tiles = r.flag('tiles_enabled_flag');
  const entropyCodingSync = r.flag('entropy_coding_sync_enabled_flag');
  if (tiles) {
    const columns = r.ue('num_tile_columns_minus1') + 1;
    const rows = r.ue('num_tile_rows_minus1') + 1;
    if (columns > 64 || rows > 64) r.fail('num_tile_columns_minus1', 'more than 64 tile columns or rows');
    if (!r.flag('uniform_spacing_flag')) {
      for (let i = 0; i < columns - 1; i++) r.ue('column_width_minus1');
      for (let i = 0; i < rows - 1; i++) r.ue('row_height_minus1');
    }
    r.skip(1, 'loop_filter_across_tiles_enabled_flag');
  }
  const loopFilterAcrossSlices = r.flag('pps_loop_filter_across_slices_enabled_flag');
  let deblockingFilterOverrideEnabled = false;
  let deblockingFilterDisabled = false;
  if (r.flag('deblocking_filter_control_present_flag')) {
    deblockingFilterOverrideEnabled = r.flag('deblocking_filter_override_enabled_flag');
    deblockingFilterDisabled = r.flag('pps_deblocking_filter_disabled_flag');
    if (!deblockingFilterDisabled) {
      r.se('pps_beta_offset_div2');
      r.se('pps_tc_offset_div2');
    }
  }
  if (r.flag('pps_scaling_list_data_present_flag')) skipScalingListData(r);
  const listsModificationPresent = r.flag('lists_modification_present_flag');
  r.ue('log2_parallel_merge_level_minus2');
  const sliceSegmentHeaderExtensionPresent = r.flag('slice_segment_header_extension_present_flag');
  let chromaQpOffsetList = false;
  if (r.flag('pps_extension_present_flag')) {
    const range = r.flag('pps_range_extension_flag');
    const others = r.u(3, 'pps_multilayer_extension_flag, pps_3d_extension_flag, pps_scc_extension_flag');
    r.skip(4, 'pps_extension_4bits');
    // Multilayer, 3D and SCC extensions add slice header fields (7.3.6.1) that are not read here.
    if (others !== 0) return undefined;
    if (range) {
      // pps_range_extension() (7.3.2.3.2)
      if (transformSkip) r.ue('log2_max_transform_skip_block_size_minus2');
      r.skip(1, 'cross_component_prediction_enabled_flag');
      chromaQpOffsetList = r.flag('chroma_qp_offset_list_enabled_flag');
      if (chromaQpOffsetList) {
        r.ue('diff_cu_chroma_qp_offset_depth');
        const length = r.ue('chroma_qp_offset_list_len_minus1') + 1;
        if (length > 6) r.fail('chroma_qp_offset_list_len_minus1', `expected 0 to 5, got ${length - 1}`);
        for (let i = 0; i < length; i++) {
          r.se('cb_qp_offset_list');
          r.se('cr_qp_offset_list');
        }
      }
      r.ue('log2_sao_offset_scale_luma');
      r.ue('log2_sao_offset_scale_chroma');
    }
  }
  return {
    cabacInitPresent,
    numRefIdxL0Default,
    numRefIdxL1Default,
    sliceChromaQpOffsetsPresent,
    weightedPred,
    weightedBipred,
    tiles,
    entropyCodingSync,
    loopFilterAcrossSlices,
    deblockingFilterOverrideEnabled,
    deblockingFilterDisabled,
    listsModificationPresent,
    sliceSegmentHeaderExtensionPresent,
    chromaQpOffsetList,
  };
}
