import type { RecWarning } from '@rec/core';
import type { RepresentationSelection } from '@rec/mpd';
import type { TransferProgress } from './download/DownloadPlanItem.js';

/**
 * What a dashget run takes (the CLI's option table is typed against it, so
 * its flags follow the options when they change).
 */
export interface DashgetOptions {
  /** The MPD's URL (http, https or file). */
  manifestUrl: string;
  /** Parallel downloads (and keep-alive sockets per host). */
  threads: number;
  /** The directory the manifest's URL layout is mirrored under. */
  output: string;
  /** Which Representations (default: all). */
  select?: RepresentationSelection;
  /** Retries per request after the first attempt. */
  retries: number;
  /** Resolve and plan, download nothing. */
  dryRun?: boolean;
  /** Seconds to record a dynamic MPD for (the live loop, `src/live`). */
  liveDuration?: number;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  onWarning?: (warning: RecWarning) => void;
}
