/** What a progress report counts. */
export const ProgressUnit = {
  Bytes: 'bytes',
  /** Media seconds (of the timeline being processed). */
  Seconds: 'seconds',
  Files: 'files',
  /** Listed object keys. */
  Keys: 'keys',
} as const;
export type ProgressUnit = (typeof ProgressUnit)[keyof typeof ProgressUnit];

/**
 * Progress of long work, shaped like got's: `transferred` units done,
 * `total` when known, and then `percent` in [0, 1]. Every rec package
 * reports this type (or an extension of it with more counters).
 */
export interface Progress {
  transferred: number;
  total?: number;
  /** In [0, 1]; present when `total` is known. */
  percent?: number;
  unit: ProgressUnit;
}

export type ProgressListener<P extends Progress = Progress> = (progress: P) => void;

/** Builds a progress report; `percent` is clamped to [0, 1] (an empty total is complete). */
export function makeProgress(transferred: number, total: number | undefined, unit: ProgressUnit): Progress {
  if (total === undefined) return { transferred, unit };
  const percent = total > 0 ? Math.min(1, Math.max(0, transferred / total)) : 1;
  return { transferred, total, percent, unit };
}
