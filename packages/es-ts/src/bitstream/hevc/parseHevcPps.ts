import type { BitReader } from '../BitReader.js';

/** pic_parameter_set_rbsp() fields (ITU-T H.265 7.3.2.3.1) the slice segment header needs. */
export interface HevcPps {
  ppsId: number;
  spsId: number;
  dependentSliceSegmentsEnabled: boolean;
  outputFlagPresent: boolean;
  numExtraSliceHeaderBits: number;
}

export function parseHevcPps(r: BitReader): HevcPps {
  const ppsId = r.ue('pps_pic_parameter_set_id');
  if (ppsId > 63) r.fail('pps_pic_parameter_set_id', `expected 0 to 63, got ${ppsId}`);
  const spsId = r.ue('pps_seq_parameter_set_id');
  if (spsId > 15) r.fail('pps_seq_parameter_set_id', `expected 0 to 15, got ${spsId}`);
  const dependentSliceSegmentsEnabled = r.flag('dependent_slice_segments_enabled_flag');
  const outputFlagPresent = r.flag('output_flag_present_flag');
  const numExtraSliceHeaderBits = r.u(3, 'num_extra_slice_header_bits');
  return { ppsId, spsId, dependentSliceSegmentsEnabled, outputFlagPresent, numExtraSliceHeaderBits };
}
