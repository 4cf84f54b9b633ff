/**
 * What a dashget run takes: the options of the download the CLI calls (the
 * DASH download itself lands with its own issue; the CLI's table is typed
 * against this, so its flags follow the options when they change).
 */
export interface DashgetOptions {
  /** The MPD's URL (http, https or file). */
  manifestUrl: string;
  /** Parallel downloads. */
  threads: number;
  /** The directory the manifest's URL layout is mirrored under. */
  output: string;
  signal?: AbortSignal;
}
