/** Warnings of the recorder itself, in `RecordSummary.warnings` (the libraries' come with their own codes). */
export const RecorderWarningCode = {
  /** The recording is in place, but its job directory could not be removed. */
  TempLeft: 'RECORDER_TEMP_LEFT',
} as const;
export type RecorderWarningCode = (typeof RecorderWarningCode)[keyof typeof RecorderWarningCode];
