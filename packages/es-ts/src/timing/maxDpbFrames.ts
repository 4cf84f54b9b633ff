/** MaxDpbMbs by level_idc, ITU-T H.264 Table A-1 (level 1b is level_idc 11 with constraint_set3 or level_idc 9). */
const MAX_DPB_MBS: ReadonlyMap<number, number> = new Map([
  [9, 396],
  [10, 396],
  [11, 900],
  [12, 2376],
  [13, 2376],
  [20, 2376],
  [21, 4752],
  [22, 8100],
  [30, 8100],
  [31, 18000],
  [32, 20480],
  [40, 32768],
  [41, 32768],
  [42, 34816],
  [50, 110400],
  [51, 184320],
  [52, 184320],
  [60, 696320],
  [61, 696320],
  [62, 696320],
]);

/**
 * MaxDpbFrames = Min(MaxDpbMbs / (PicWidthInMbs * FrameHeightInMbs), 16)
 * (ITU-T H.264 A.3.1 item h, A.3.2 item f). Unknown levels give 16.
 */
export function maxDpbFrames(levelIdc: number, widthInMbs: number, frameHeightInMbs: number): number {
  const mbs = MAX_DPB_MBS.get(levelIdc);
  const frameMbs = widthInMbs * frameHeightInMbs;
  if (mbs === undefined || frameMbs <= 0) return 16;
  return Math.max(1, Math.min(16, Math.floor(mbs / frameMbs)));
}
