import type { BitReader } from '../BitReader.js';

/** profile_tier_level(1, maxNumSubLayersMinus1) (ITU-T H.265 7.3.3), skipped. */
export function skipProfileTierLevel(r: BitReader, maxNumSubLayersMinus1: number): void {
  r.skip(88, 'general_profile_space .. general_inbld_flag'); // 2+1+5+32+4+43+1 bits
  r.skip(8, 'general_level_idc');
  const profilePresent: boolean[] = [];
  const levelPresent: boolean[] = [];
  for (let i = 0; i < maxNumSubLayersMinus1; i++) {
    profilePresent.push(r.flag('sub_layer_profile_present_flag'));
    levelPresent.push(r.flag('sub_layer_level_present_flag'));
  }
  if (maxNumSubLayersMinus1 > 0) r.skip(2 * (8 - maxNumSubLayersMinus1), 'reserved_zero_2bits');
  for (let i = 0; i < maxNumSubLayersMinus1; i++) {
    if (profilePresent[i]) r.skip(88, 'sub_layer_profile');
    if (levelPresent[i]) r.skip(8, 'sub_layer_level_idc');
  }
}
