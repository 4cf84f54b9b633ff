import { stat } from 'node:fs/promises';
import { Mp4DumpError, Mp4DumpErrorCode } from '../Mp4DumpError.js';
import type { SegmentFile } from './planRepresentations.js';

/** A segment with where its bytes are: in its file, and in the representation's concatenation. */
export interface MeasuredSegment extends SegmentFile {
  /** Offset of its first byte in its file. */
  start: number;
  /** Its length in bytes. */
  size: number;
  /** Offset of its first byte in init + media segments laid end to end (`--concat`'s file). */
  representationOffset: number;
}

/**
 * Sizes every segment from its file (or its byte range), before anything is
 * written: a missing file fails the representation, naming it (and how many
 * more are missing), as does a range past the end of its file.
 */
export async function measureSegments(files: readonly SegmentFile[]): Promise<MeasuredSegment[]> {
  const missing: string[] = [];
  const measured: MeasuredSegment[] = [];
  let representationOffset = 0;
  for (const file of files) {
    const info = await stat(file.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw new Mp4DumpError(
        Mp4DumpErrorCode.Io,
        `${file.name} cannot be read (${error.code ?? error.message})`,
        {
          file: file.path,
          cause: error,
        },
      );
    });
    if (info === undefined || !info.isFile()) {
      missing.push(file.name);
      continue;
    }
    const start = file.range?.first ?? 0;
    const end = file.range?.last === undefined ? info.size : file.range.last + 1;
    if (end > info.size || start > end) {
      throw new Mp4DumpError(
        Mp4DumpErrorCode.MissingSegment,
        `${file.name} holds ${info.size} bytes, the MPD puts the segment at bytes ${start}-${end - 1}`,
        { file: file.path },
      );
    }
    measured.push({ ...file, start, size: end - start, representationOffset });
    representationOffset += end - start;
  }
  const [first] = missing;
  if (first !== undefined) {
    const more = missing.length > 1 ? ` and ${missing.length - 1} more are` : ' is';
    throw new Mp4DumpError(
      Mp4DumpErrorCode.MissingSegment,
      `${first}${more} missing (${missing.length} of its ${files.length} segment files)`,
      { file: first },
    );
  }
  return measured;
}
