import type { H264Sps } from '../bitstream/h264/parseH264Sps.js';
import { maxDpbFrames } from './maxDpbFrames.js';

/**
 * Frames the output process may hold back (max_num_reorder_frames): from the
 * VUI when present, otherwise inferred as E.2.1 says: 0 for the intra and
 * constrained profiles with constraint_set3_flag, and for
 * pic_order_cnt_type 2 (output order is decoding order, 8.2.1.3); else
 * MaxDpbFrames of the level.
 */
export function h264ReorderDepth(sps: H264Sps): number {
  if (sps.maxNumReorderFrames !== undefined) return Math.min(16, sps.maxNumReorderFrames);
  if (sps.picOrderCntType === 2) return 0;
  const constraintSet3 = (sps.constraintFlags & 0x10) !== 0;
  if (constraintSet3 && [44, 86, 100, 110, 122, 244].includes(sps.profileIdc)) return 0;
  return maxDpbFrames(sps.levelIdc, sps.widthInMbs, sps.frameHeightInMbs);
}
