import { RecError } from '@rec/core';
import type { BoxParseErrorCode } from '@rec/fmp4-boxes';

export const Mp4DumpErrorCode = {
  /** DASH mode: the directory holds no `.mpd` (give files, or `-d DIR`). Exit 2. */
  NoManifest: 'MP4DUMP_NO_MANIFEST',
  /** DASH mode: the directory holds several `.mpd` files (name one: `-d DIR/x.mpd`). Exit 2. */
  SeveralManifests: 'MP4DUMP_SEVERAL_MANIFESTS',
  /** DASH mode: `-r` names an id the MPD does not have. Exit 2. */
  UnknownRepresentation: 'MP4DUMP_UNKNOWN_REPRESENTATION',
  /** DASH mode: a segment file the MPD lists is not in the directory. Exit 1. */
  MissingSegment: 'MP4DUMP_MISSING_SEGMENT',
  /**
   * DASH mode: a representation failed (its segments could not be listed,
   * a file is missing) or has damaged segments; the others were dumped, the
   * summary says which. Exit 1.
   */
  RepresentationFailed: 'MP4DUMP_REPRESENTATION_FAILED',
  /** A `.dump`/`.mp4` cannot be written, or an input cannot be read (permissions, disk full). Exit 1. */
  Io: 'MP4DUMP_IO',
} as const;
export type Mp4DumpErrorCode = (typeof Mp4DumpErrorCode)[keyof typeof Mp4DumpErrorCode];

/**
 * The errors mp4dump reports. A damaged input keeps the reader's code
 * (`BOX_TRUNCATED`, `BOX_INVALID`, `BOX_TOO_LARGE`: scripts branch on what
 * `@rec/fmp4-boxes` found) with the file name put before the reader's
 * `path @ offset: what` message.
 */
export class Mp4DumpError extends RecError<Mp4DumpErrorCode | BoxParseErrorCode> {
  override readonly name = 'Mp4DumpError';
  /** The file (or directory) the error is about. */
  readonly file: string | undefined;

  constructor(
    code: Mp4DumpErrorCode | BoxParseErrorCode,
    message: string,
    options: { file?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.file = options.file;
  }
}
