import type { DumpOptions } from './dump/index.js';

/**
 * What an mp4dump run takes: the formatter's options (`DumpOptions`) and
 * where its input comes from (files, or a DASH directory). The CLI's flag
 * table is typed against this, so its flags follow the options when they
 * change.
 */
export interface Mp4DumpOptions extends Omit<DumpOptions, 'verbosity'> {
  /** MP4 / fMP4 files to dump; none (or `dir`) is DASH mode. */
  files: string[];
  /** DASH mode: a directory holding one MPD, or the MPD itself (default `.`). */
  dir?: string;
  /** DASH mode: the Representation ids to dump (default all). */
  reps?: string[];
  /** Bento4's `--verbosity`; default 0 for files, 3 in DASH mode (the legacy tool's). */
  verbosity?: DumpOptions['verbosity'];
  /** DASH mode: also write each representation as one fMP4 file (`<rep_id>.mp4`). */
  concat: boolean;
}
