import { createReadStream } from 'node:fs';
import { AAC_FRAME_SAMPLES, parseAccessUnits, TS_CLOCK } from '@rec/es-ts';
import { readAdtsInfo, readWavInfo } from '@rec/mux';
import type { Segment } from '@rec/s3-segments';

/**
 * Where the content of the last segment of a kind ends on the timeline:
 * its epoch plus what it holds (pictures, samples). What `noTrim` needs: the
 * last segment has no successor whose start could tell its length, and a
 * single segment has no spacing at all. Reads that one segment only.
 */
export async function contentEnd(
  segments: readonly Segment[],
  pathOf: ReadonlyMap<string, string>,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const last = segments.reduce<Segment | undefined>(
    (latest, segment) => (latest === undefined || segment.epoch >= latest.epoch ? segment : latest),
    undefined,
  );
  const path = last && pathOf.get(last.key);
  if (last === undefined || path === undefined) return undefined;
  return last.epoch + (await contentSeconds(last, path, signal));
}

async function contentSeconds(segment: Segment, path: string, signal?: AbortSignal): Promise<number> {
  if (segment.kind === 'audio' && segment.codec === 'aac') {
    const info = await readAdtsInfo(path, { signal });
    return (info.frames * AAC_FRAME_SAMPLES) / info.format.sampleRate;
  }
  if (segment.kind === 'audio') {
    const info = await readWavInfo(path);
    return info.frames / info.format.sampleRate;
  }
  // From the first presented picture to the end of the last one, as es-ts places them.
  let first = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const units = parseAccessUnits(createReadStream(path, { highWaterMark: 1 << 20 }), {
    codec: segment.codec === 'hevc' ? 'hevc' : 'h264',
    source: segment.key,
    signal,
  });
  for await (const unit of units) {
    first = Math.min(first, unit.pts);
    end = Math.max(end, unit.pts + unit.duration);
  }
  return end > first ? (end - first) / TS_CLOCK : 0;
}
