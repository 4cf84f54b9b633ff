import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { withAtomicFile } from '@rec/core/node';
import { type Box, findBoxes, overwriteBox, parseBoxes } from '@rec/fmp4-boxes';
import type { MeasuredSegment } from './measureSegments.js';
import { readFileRange } from './readFileRange.js';

/** An Initialization Segment larger than this is copied as it is (never seen: they are kilobytes). */
const MAX_INIT_BYTES = 64 << 20;

/** Where a moov declares a duration of its own (ISO/IEC 14496-12 8.2.2, 8.3.2, 8.4.2, 8.8.2). */
const DURATIONS = ['moov/mvhd', 'moov/trak/tkhd', 'moov/trak/mdia/mdhd', 'moov/mvex/mehd'] as const;

/**
 * Writes init + media segments, in order, as one file at `path` (streamed,
 * atomically): a fragmented MP4 that plays as a whole (ISO/IEC 23009-1
 * 6.3, segment formats for ISO-BMFF: an Initialization Segment followed by
 * its Media Segments is a conforming ISO-BMFF file). Returns the bytes written.
 *
 * The Initialization Segment goes in with the durations its moov declares
 * (mvhd, tkhd, mdhd, mehd) set to 0, in place (no size or offset moves):
 * a packager writes the whole presentation's there (3900 s in DASH-IF's
 * test assets over two 6-s segments), which ffprobe and players then
 * report for a file holding only the segments downloaded; at 0 they take
 * the duration from the fragments. An init that declares none is copied
 * byte for byte.
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
          if (segment.kind === 'init' && segment.size <= MAX_INIT_BYTES) {
            yield await initWithoutDurations(segment);
            continue;
          }
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

/** The init segment's bytes with its moov's durations at 0 (as read when it declares none, or cannot be parsed). */
async function initWithoutDurations(segment: MeasuredSegment): Promise<Uint8Array> {
  // Its own bytes only: a SegmentBase init is the head of the whole media file.
  const bytes = await readFileRange(segment.path, {
    first: segment.start,
    last: segment.start + segment.size - 1,
  });
  let boxes: Box[];
  try {
    boxes = parseBoxes(bytes);
  } catch {
    // The dump reports what is wrong with it; the concatenation keeps its bytes.
    return bytes;
  }
  for (const where of DURATIONS) {
    for (const box of findBoxes(boxes, where) as (Box & { duration: number | bigint })[]) {
      if (Number(box.duration) === 0) continue;
      box.duration = 0;
      overwriteBox(bytes, box);
    }
  }
  return bytes;
}
