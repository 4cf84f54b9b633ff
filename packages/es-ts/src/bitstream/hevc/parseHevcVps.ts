import type { BitReader } from '../BitReader.js';
import { skipProfileTierLevel } from './skipProfileTierLevel.js';

export interface HevcVps {
  vpsId: number;
  timing: { numUnitsInTick: number; timeScale: number } | undefined;
}

/** video_parameter_set_rbsp() (ITU-T H.265 7.3.2.1) up to vps_timing_info. `r` starts after the 2-byte NAL header. */
export function parseHevcVps(r: BitReader): HevcVps {
  const vpsId = r.u(4, 'vps_video_parameter_set_id');
  r.skip(2, 'vps_base_layer_internal_flag, vps_base_layer_available_flag');
  r.skip(6, 'vps_max_layers_minus1');
  const maxSubLayersMinus1 = r.u(3, 'vps_max_sub_layers_minus1');
  if (maxSubLayersMinus1 > 6)
    r.fail('vps_max_sub_layers_minus1', `expected 0 to 6, got ${maxSubLayersMinus1}`);
  r.skip(1, 'vps_temporal_id_nesting_flag');
  r.skip(16, 'vps_reserved_0xffff_16bits');
  skipProfileTierLevel(r, maxSubLayersMinus1);
  const orderingPresent = r.flag('vps_sub_layer_ordering_info_present_flag');
  for (let i = orderingPresent ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
    r.ue('vps_max_dec_pic_buffering_minus1');
    r.ue('vps_max_num_reorder_pics');
    r.ue('vps_max_latency_increase_plus1');
  }
  const maxLayerId = r.u(6, 'vps_max_layer_id');
  const numLayerSets = r.ue('vps_num_layer_sets_minus1') + 1;
  if (numLayerSets > 1024) r.fail('vps_num_layer_sets_minus1', `expected 0 to 1023, got ${numLayerSets - 1}`);
  r.skip((numLayerSets - 1) * (maxLayerId + 1), 'layer_id_included_flag');
  let timing: HevcVps['timing'];
  if (r.flag('vps_timing_info_present_flag')) {
    const numUnitsInTick = r.u(32, 'vps_num_units_in_tick');
    const timeScale = r.u(32, 'vps_time_scale');
    if (numUnitsInTick > 0 && timeScale > 0) timing = { numUnitsInTick, timeScale };
  }
  return { vpsId, timing };
}
