/** Warnings of the recorder itself, in `RecordSummary.warnings` (the libraries' come with their own codes). */
export const RecorderWarningCode = {
  /** The recording is in place, but its job directory could not be removed. */
  TempLeft: 'RECORDER_TEMP_LEFT',
  /** More than half of the window is holes for a kind (see `maxHoleFraction` to refuse such a window). */
  MostlyEmpty: 'RECORDER_MOSTLY_EMPTY',
} as const;
export type RecorderWarningCode = (typeof RecorderWarningCode)[keyof typeof RecorderWarningCode];
