import { expectInteger } from '@rec/core';
import type { EsSegment } from '@rec/es-ts';
import { findLastPicture } from '@rec/es-ts/bitstream';
import { findUndecodablePictures } from './findUndecodablePictures.js';

const BATCH_BYTES = 8 * 1024 * 1024;

export interface CheckLastPicturesOptions {
  /** Explicit ffmpeg binary (else FFMPEG_PATH, PATH, the npm package). */
  ffmpegPath?: string;
  /**
   * Probe bytes decoded per ffmpeg run (default 8 MiB, about 400 pictures
   * of 20 KB): what the check holds at once, whatever the window (8 hours
   * of 2-s segments with such pictures, all held: 56 MB, three times over).
   */
  batchBytes?: number;
  signal?: AbortSignal;
}

/**
 * H.264 segments whose last picture a decoder cannot decode whole come back
 * with `damagedFrom` set at that picture (the others as they were), so that
 * es-ts `muxSegments` cuts them there, warns and lists the time lost. A
 * segment cut inside the slice of its last picture (an upload cut short)
 * shows it in no header: es-ts tells a cut between slices from the slice
 * layout of the other pictures, but one inside a picture of one slice only
 * a decoder sees, its macroblocks stopping short. Each segment's last
 * picture goes to ffmpeg with the parameter sets before it
 * (`findLastPicture`), `batchBytes` of them per run
 * (`findUndecodablePictures`). Each segment is read once more for this,
 * one at a time.
 */
export async function checkLastPictures(
  segments: readonly EsSegment[],
  options: CheckLastPicturesOptions = {},
): Promise<EsSegment[]> {
  const batchBytes = expectInteger('batchBytes', options.batchBytes ?? BATCH_BYTES, 1);
  const out = [...segments];
  let probes: Uint8Array[] = [];
  let checked: { segment: number; offset: number }[] = [];
  let held = 0;
  const decodeBatch = async () => {
    if (probes.length === 0) return;
    for (const { index, reason } of await findUndecodablePictures(probes, options)) {
      const { segment, offset } = checked[index]!;
      out[segment] = {
        ...out[segment]!,
        damagedFrom: {
          offset,
          what: `a decoder cannot decode its last picture whole (ffmpeg: ${reason}): the segment was cut inside it or is damaged there`,
        },
      };
    }
    probes = [];
    checked = [];
    held = 0;
  };
  for (let index = 0; index < segments.length; index++) {
    options.signal?.throwIfAborted();
    const last = findLastPicture(await readAll(segments[index]!.source), 'h264');
    // No picture, or no parameter sets to decode it alone: es-ts skips such a segment itself.
    if (!last?.decodable) continue;
    probes.push(last.probe);
    checked.push({ segment: index, offset: last.offset });
    held += last.probe.length;
    if (held >= batchBytes) await decodeBatch();
  }
  await decodeBatch();
  return out;
}

async function readAll(source: EsSegment['source']): Promise<Uint8Array> {
  if (typeof source !== 'function') return source;
  const chunks: Uint8Array[] = [];
  for await (const chunk of source()) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
