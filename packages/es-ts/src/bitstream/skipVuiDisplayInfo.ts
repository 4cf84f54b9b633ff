import type { BitReader } from './BitReader.js';

/**
 * The opening fields of vui_parameters(), the same in H.264 (E.1.1) and
 * H.265 (E.2.1): aspect ratio, overscan, video signal type and colour
 * description, chroma sample location. Nothing in them bears on timing.
 */
export function skipVuiDisplayInfo(r: BitReader): void {
  if (r.flag('aspect_ratio_info_present_flag')) {
    if (r.u(8, 'aspect_ratio_idc') === 255) r.skip(32, 'sar_width, sar_height');
  }
  if (r.flag('overscan_info_present_flag')) r.skip(1, 'overscan_appropriate_flag');
  if (r.flag('video_signal_type_present_flag')) {
    r.skip(4, 'video_format, video_full_range_flag');
    if (r.flag('colour_description_present_flag')) r.skip(24, 'colour_primaries .. matrix_coefficients');
  }
  if (r.flag('chroma_loc_info_present_flag')) {
    r.ue('chroma_sample_loc_type_top_field');
    r.ue('chroma_sample_loc_type_bottom_field');
  }
}
