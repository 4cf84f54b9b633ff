import type { BitReader } from '../BitReader.js';
import { isHevcIdr } from './HevcNalType.js';
import type { HevcPpsSliceFields } from './parseHevcPps.js';
import type { HevcSliceHeader } from './parseHevcSliceHeader.js';
import type { HevcSps } from './parseHevcSps.js';
import { readShortTermRefPicSet, usedByCurrPic } from './shortTermRefPicSet.js';

/** Where a slice segment's substreams lie, from its header (ITU-T H.265 7.4.7.1). */
export interface HevcEntryPoints {
  /** RBSP bytes of the NAL header and slice segment header, byte_alignment() included. */
  headerBytes: number;
  /**
   * Bytes of every substream but the last: the sum of entry_point_offset_minus1[i] + 1.
   * They count the slice segment data as it is in the NAL unit, emulation
   * prevention bytes included (7.4.7.1).
   */
  substreamBytes: number;
  /** num_entry_point_offsets. */
  count: number;
}

const P = 1;
const B = 0;

/**
 * The rest of slice_segment_header() (7.3.6.1), read on from where
 * parseHevcSliceHeader stopped (after slice_pic_order_cnt_lsb), through
 * num_entry_point_offsets, entry_point_offset_minus1[] and the header
 * extension to byte_alignment(). Undefined when the segment has no entry
 * points (neither tiles nor wavefronts).
 */
export function parseHevcEntryPoints(
  r: BitReader,
  header: HevcSliceHeader,
  sps: HevcSps,
  pps: HevcPpsSliceFields,
): HevcEntryPoints | undefined {
  if (!header.dependentSliceSegment) skipIndependentFields(r, header, sps, pps);
  let count = 0;
  let substreamBytes = 0;
  if (pps.tiles || pps.entropyCodingSync) {
    count = r.ue('num_entry_point_offsets');
    if (count > sps.picSizeInCtbs)
      r.fail('num_entry_point_offsets', `${count} is more than the picture's CTBs`);
    if (count > 0) {
      const length = r.ue('offset_len_minus1') + 1;
      if (length > 32) r.fail('offset_len_minus1', `expected 0 to 31, got ${length - 1}`);
      for (let i = 0; i < count; i++) substreamBytes += r.u(length, 'entry_point_offset_minus1') + 1;
    }
  }
  if (pps.sliceSegmentHeaderExtensionPresent) {
    const length = r.ue('slice_segment_header_extension_length');
    if (length > 256) r.fail('slice_segment_header_extension_length', `expected 0 to 256, got ${length}`);
    r.skip(8 * length, 'slice_segment_header_extension_data_byte');
  }
  if (!pps.tiles && !pps.entropyCodingSync) return undefined;
  // byte_alignment(): alignment_bit_equal_to_one, then zero bits up to the byte boundary.
  r.skip(1, 'alignment_bit_equal_to_one');
  return { headerBytes: Math.ceil(r.position / 8), substreamBytes, count };
}

/** The fields of an independent slice segment after slice_pic_order_cnt_lsb, up to the entry points. */
function skipIndependentFields(
  r: BitReader,
  header: HevcSliceHeader,
  sps: HevcSps,
  pps: HevcPpsSliceFields,
): void {
  let numPicTotalCurr = 0;
  let temporalMvp = false;
  if (!isHevcIdr(header.nalType)) {
    const sets = sps.shortTermRps;
    if (!r.flag('short_term_ref_pic_set_sps_flag')) {
      numPicTotalCurr += usedByCurrPic(readShortTermRefPicSet(r, sets.length, sets.length, sets));
    } else {
      const index =
        sets.length > 1 ? r.u(Math.ceil(Math.log2(sets.length)), 'short_term_ref_pic_set_idx') : 0;
      const rps = sets[index];
      if (rps === undefined) r.fail('short_term_ref_pic_set_idx', `refers to set ${index} of ${sets.length}`);
      numPicTotalCurr += usedByCurrPic(rps);
    }
    if (sps.longTermRefs) {
      const inSps = sps.longTermUsedSps.length;
      const fromSps = inSps > 0 ? r.ue('num_long_term_sps') : 0;
      if (fromSps > inSps) r.fail('num_long_term_sps', `expected 0 to ${inSps}, got ${fromSps}`);
      const pictures = r.ue('num_long_term_pics');
      if (fromSps + pictures > 32) r.fail('num_long_term_pics', 'more than 32 long-term pictures');
      for (let i = 0; i < fromSps + pictures; i++) {
        if (i < fromSps) {
          const index = inSps > 1 ? r.u(Math.ceil(Math.log2(inSps)), 'lt_idx_sps') : 0;
          if (sps.longTermUsedSps[index]) numPicTotalCurr++;
        } else {
          r.skip(sps.log2MaxPicOrderCntLsb, 'poc_lsb_lt');
          if (r.flag('used_by_curr_pic_lt_flag')) numPicTotalCurr++;
        }
        if (r.flag('delta_poc_msb_present_flag')) r.ue('delta_poc_msb_cycle_lt');
      }
    }
    if (sps.temporalMvp) temporalMvp = r.flag('slice_temporal_mvp_enabled_flag');
  }
  let sao = false;
  if (sps.sampleAdaptiveOffset) {
    sao = r.flag('slice_sao_luma_flag');
    if (sps.chromaArrayType !== 0) sao = r.flag('slice_sao_chroma_flag') || sao;
  }
  const { sliceType } = header;
  if (sliceType === P || sliceType === B) {
    let l0 = pps.numRefIdxL0Default;
    let l1 = pps.numRefIdxL1Default;
    if (r.flag('num_ref_idx_active_override_flag')) {
      l0 = r.ue('num_ref_idx_l0_active_minus1') + 1;
      if (sliceType === B) l1 = r.ue('num_ref_idx_l1_active_minus1') + 1;
      if (l0 > 15 || l1 > 15) r.fail('num_ref_idx_active_minus1', 'expected 0 to 14');
    }
    if (pps.listsModificationPresent && numPicTotalCurr > 1) {
      // ref_pic_lists_modification() (7.3.6.2)
      const bits = Math.ceil(Math.log2(numPicTotalCurr));
      if (r.flag('ref_pic_list_modification_flag_l0')) r.skip(bits * l0, 'list_entry_l0');
      if (sliceType === B && r.flag('ref_pic_list_modification_flag_l1')) r.skip(bits * l1, 'list_entry_l1');
    }
    if (sliceType === B) r.skip(1, 'mvd_l1_zero_flag');
    if (pps.cabacInitPresent) r.skip(1, 'cabac_init_flag');
    if (temporalMvp) {
      const fromL0 = sliceType === B ? r.flag('collocated_from_l0_flag') : true;
      if ((fromL0 && l0 > 1) || (!fromL0 && l1 > 1)) r.ue('collocated_ref_idx');
    }
    if ((pps.weightedPred && sliceType === P) || (pps.weightedBipred && sliceType === B)) {
      skipPredWeightTable(r, sps.chromaArrayType, l0, sliceType === B ? l1 : 0);
    }
    r.ue('five_minus_max_num_merge_cand');
  }
  r.se('slice_qp_delta');
  if (pps.sliceChromaQpOffsetsPresent) {
    r.se('slice_cb_qp_offset');
    r.se('slice_cr_qp_offset');
  }
  if (pps.chromaQpOffsetList) r.skip(1, 'cu_chroma_qp_offset_enabled_flag');
  let deblockingDisabled = pps.deblockingFilterDisabled;
  if (pps.deblockingFilterOverrideEnabled && r.flag('deblocking_filter_override_flag')) {
    deblockingDisabled = r.flag('slice_deblocking_filter_disabled_flag');
    if (!deblockingDisabled) {
      r.se('slice_beta_offset_div2');
      r.se('slice_tc_offset_div2');
    }
  }
  if (pps.loopFilterAcrossSlices && (sao || !deblockingDisabled)) {
    r.skip(1, 'slice_loop_filter_across_slices_enabled_flag');
  }
}

/**
 * pred_weight_table() (7.3.6.3), skipped. For a single-layer stream without
 * the current picture as reference, every luma/chroma weight flag is present.
 */
function skipPredWeightTable(r: BitReader, chromaArrayType: number, l0: number, l1: number): void {
  r.ue('luma_log2_weight_denom');
  if (chromaArrayType !== 0) r.se('delta_chroma_log2_weight_denom');
  for (const count of [l0, l1]) {
    if (count === 0) continue;
    const luma: boolean[] = [];
    const chroma: boolean[] = [];
    for (let i = 0; i < count; i++) luma.push(r.flag('luma_weight_flag'));
    if (chromaArrayType !== 0) for (let i = 0; i < count; i++) chroma.push(r.flag('chroma_weight_flag'));
    for (let i = 0; i < count; i++) {
      if (luma[i]) {
        r.se('delta_luma_weight');
        r.se('luma_offset');
      }
      if (chroma[i]) {
        for (let j = 0; j < 2; j++) {
          r.se('delta_chroma_weight');
          r.se('delta_chroma_offset');
        }
      }
    }
  }
}
