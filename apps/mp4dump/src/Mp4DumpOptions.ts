/**
 * What an mp4dump run takes: the options of the dump the CLI calls (the box
 * dump itself lands with @rec/fmp4-boxes; the CLI's table is typed against
 * this, so its flags follow the options when they change).
 */
export interface Mp4DumpOptions {
  /** MP4 / fMP4 files to dump. */
  files: string[];
  /** A DASH directory holding an MPD: its fMP4 representations are dumped instead. */
  dir?: string;
  /** Representation ids to dump (default all). */
  reps?: string[];
  format: 'text' | 'json';
  /** Write each representation as one playable fMP4 file. */
  concat: boolean;
  signal?: AbortSignal;
}
