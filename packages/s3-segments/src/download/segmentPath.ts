import { join } from 'node:path';
import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import type { Segment } from '../types/Segment.js';

/**
 * Where a downloaded segment goes: `<dir>/<kind>/<file name>` (the key's last
 * part). Flat per kind, because epochs make file names unique and the
 * recorder reads a kind's files in order; a key never chooses a path outside
 * `dir` (`.`/`..`/backslashes in names are refused).
 */
export function segmentPath(dir: string, segment: Segment): string {
  const name = segment.key.slice(segment.key.lastIndexOf('/') + 1);
  if (name === '' || name === '.' || name === '..' || name.includes('\\') || name.includes('\0')) {
    throw new S3SegmentsError(
      S3SegmentsErrorCode.InvalidOptions,
      `Segment key "${segment.key}" has no usable file name`,
      { key: segment.key },
    );
  }
  return join(dir, segment.kind, name);
}
