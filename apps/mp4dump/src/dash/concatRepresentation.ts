import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { withAtomicFile } from '@rec/core/node';
import type { MeasuredSegment } from './measureSegments.js';

/**
 * Writes init + media segments, in order, as one file at `path` (streamed,
 * atomically): a fragmented MP4 that plays as a whole (ISO/IEC 23009-1
 * 6.3, segment formats for ISO-BMFF: an Initialization Segment followed by
 * its Media Segments is a conforming ISO-BMFF file). Returns the bytes written.
 */
export function concatRepresentation(
  path: string,
  segments: readonly MeasuredSegment[],
  signal?: AbortSignal,
): Promise<number> {
  return withAtomicFile(path, async (part) => {
    const out = createWriteStream(part);
    await pipeline(
      async function* () {
        for (const segment of segments) {
          if (segment.size === 0) continue;
          yield* createReadStream(segment.path, {
            start: segment.start,
            end: segment.start + segment.size - 1,
            signal,
          });
        }
      },
      out,
      { signal },
    );
    return out.bytesWritten;
  });
}
