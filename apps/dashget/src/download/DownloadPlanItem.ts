import type { Progress, RecWarning } from '@rec/core';
import type { ByteRange } from '@rec/mpd';
import type { DashgetWarningCode } from '../DashgetWarningCode.js';

/** What a planned file holds. A single file addressed by byte ranges (SegmentBase, a ranged SegmentList) is `media`. */
export type DownloadKind = 'init' | 'media' | 'index';

/**
 * One file to download. Several MPD byte ranges of one resource are one
 * item: the whole resource when they start at its first byte (ffmpeg's
 * `single_file`, SegmentBase), else the span from the first wanted byte to
 * the last, written at the same offsets of the local file, so that the
 * MPD's `@mediaRange`/`@indexRange`/`@range` stay valid offline unchanged.
 */
export interface DownloadPlanItem {
  /** Absolute http(s) URL (or file: beside a file: manifest). */
  url: string;
  /** The same file under the other BaseURLs, tried in order when `url` fails. */
  fallbackUrls?: string[];
  /** Bytes to fetch, at the same offsets in the local file; absent: the whole resource. */
  range?: ByteRange;
  /** Relative to the output directory, `/`-separated, already checked by `localPathFor` (never `..`, never absolute). */
  localPath: string;
  /** The Representation it belongs to (the first one, when several share a file). */
  representationId: string;
  kind: DownloadKind;
  /** How many media segments of the MPD this file carries (1 for a template or list segment, N for a single file). */
  segments: number;
}

/**
 * Progress of `downloadFiles`, in files (`unit: 'files'`): `transferred` files done (downloaded,
 * skipped or failed) of `total` known so far (it grows while an async plan is still producing
 * items), `percent` their fraction, as @rec/core's `Progress` defines it. File sizes are known only
 * as their responses come, so the bytes are a count beside it, not the unit.
 */
export interface TransferProgress extends Progress {
  unit: 'files';
  total: number;
  percent: number;
  /** Bytes written so far (fetched now; skipped files count none). */
  bytes: number;
  /** Media segments in the files done. */
  segments: number;
  segmentsTotal: number;
  /** Milliseconds since the start. */
  elapsed: number;
}

/** A file that still failed after every retry and fallback URL. */
export interface FailedDownload {
  url: string;
  localPath: string;
  representationId: string;
  kind: DownloadKind;
  /** One line: status, error code, message (no credentials). */
  reason: string;
}

/** Counts of one Representation. */
export interface RepresentationSummary {
  representationId: string;
  files: number;
  segments: number;
  /** Bytes now on disk for its files (downloaded or skipped). */
  bytes: number;
  /** Bytes fetched in this run. */
  downloadedBytes: number;
  /** Files already complete on disk (their size is the remote Content-Length). */
  skipped: number;
  /** Files continued from a `.part` with a Range request. */
  resumed: number;
  failed: number;
}

export interface DownloadSummary {
  files: number;
  segments: number;
  bytes: number;
  downloadedBytes: number;
  skipped: number;
  resumed: number;
  failed: FailedDownload[];
  /** By Representation, in the order they first appear in the plan. */
  representations: RepresentationSummary[];
  warnings: RecWarning<DashgetWarningCode>[];
  /** Milliseconds. */
  elapsed: number;
}
