import { RecError } from '@rec/core';

/** What dashget itself fails with (the manifest's own errors are `@rec/mpd`'s `MpdError`s). */
export const DashgetErrorCode = {
  /** Some files could not be downloaded after every retry and fallback URL: the summary names them. */
  DownloadFailed: 'DASHGET_DOWNLOAD_FAILED',
  /** No Representation to download: the manifest lists none, or the selection (`--select`) matches none. */
  NothingSelected: 'DASHGET_NOTHING_SELECTED',
  /** The manifest could not be fetched or read. */
  ManifestUnavailable: 'DASHGET_MANIFEST_UNAVAILABLE',
  /** Two different URLs of the manifest map to one local file. */
  PathCollision: 'DASHGET_PATH_COLLISION',
  /** The output directory (or a file under it) could not be written. */
  OutputIo: 'DASHGET_OUTPUT_IO',
  /**
   * A live recording has nothing it can record: every selected Representation of the dynamic MPD
   * is addressed by SegmentBase or a byte-ranged SegmentList (one growing file: not recorded live).
   */
  LiveUnsupported: 'DASHGET_LIVE_UNSUPPORTED',
} as const;
export type DashgetErrorCode = (typeof DashgetErrorCode)[keyof typeof DashgetErrorCode];

export class DashgetError extends RecError<DashgetErrorCode> {
  override readonly name = 'DashgetError';
}
