/** Container of a finished recording. */
export const RecordingFormat = {
  Mp4: 'mp4',
  Ts: 'ts',
} as const;
export type RecordingFormat = (typeof RecordingFormat)[keyof typeof RecordingFormat];
