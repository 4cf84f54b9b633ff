/** Progress of a transfer, as `onProgress` receives it. */
export interface TransferProgress {
  /** Bytes done, including files skipped because they were already complete. */
  transferred: number;
  /** Bytes in all (sum of the listed sizes). */
  total: number;
  /** 0-100. */
  percent: number;
  /** Files complete (downloaded or skipped). */
  files: number;
  filesTotal: number;
}
