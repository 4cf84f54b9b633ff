/** What a progress report counts: media seconds processed, or bytes written. */
export const ProgressUnit = {
  Seconds: 'seconds',
  Bytes: 'bytes',
} as const;
export type ProgressUnit = (typeof ProgressUnit)[keyof typeof ProgressUnit];

/** Progress of long work, shaped like got's: `percent` is in [0, 1] when `total` is known. */
export interface MuxProgress {
  transferred: number;
  total?: number;
  percent?: number;
  unit: ProgressUnit;
}

export type ProgressListener = (progress: MuxProgress) => void;

/** Builds a progress report, clamping `percent` to [0, 1]. */
export function makeProgress(
  transferred: number,
  total: number | undefined,
  unit: ProgressUnit,
): MuxProgress {
  if (total === undefined || total <= 0) return { transferred, unit };
  return { transferred, total, percent: Math.min(1, Math.max(0, transferred / total)), unit };
}
