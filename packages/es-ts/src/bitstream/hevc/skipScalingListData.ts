import type { BitReader } from '../BitReader.js';

/** scaling_list_data() (ITU-T H.265 7.3.4), skipped: in the SPS and the PPS. */
export function skipScalingListData(r: BitReader): void {
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
