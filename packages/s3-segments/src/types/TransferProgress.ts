import type { Progress } from '@rec/core';

/**
 * Progress of a download, as `onProgress` receives it: core's `Progress` in
 * bytes (`percent` in [0, 1]), plus the files complete.
 */
export interface TransferProgress extends Progress {
  /** Bytes done, including files skipped because they were already complete. */
  transferred: number;
  /** Bytes in all (sum of the listed sizes). */
  total: number;
  /** `transferred / total` in [0, 1] (1 for an empty transfer). */
  percent: number;
  unit: 'bytes';
  /** Files complete (downloaded or skipped). */
  files: number;
  filesTotal: number;
}
