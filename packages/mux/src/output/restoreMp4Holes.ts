import { TS_CLOCK } from '@rec/es-ts';
import {
  type Box,
  type EditListBox,
  findBox,
  findBoxes,
  type HandlerBox,
  type MediaHeaderBox,
  type MovieHeaderBox,
  type TimeToSampleBox,
  type Uint64,
} from '@rec/fmp4-boxes';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { patchBox, readMoov, writeMoov } from '../mp4/Mp4Moov.js';
import { MP4_MAX_SAMPLE_DELTA } from './planVideoTimescale.js';

/** A hole taken out of the video on its way through ffmpeg (see `TsHoleCompressor`). */
export interface RemovedHole {
  /** 0-based decode-order index of the first video sample after the hole. */
  sample: number;
  /** 90 kHz ticks taken out before it. */
  removed: number;
}

/**
 * Gives the video track of an MP4 that ffmpeg wrote from a compressed TS
 * its holes back, in place, by fixed-size fields only: the sample_delta of
 * the sample before each hole (stts, ISO/IEC 14496-12 8.6.1.2), the media
 * duration (mdhd, 8.4.2) and the last edit's segment_duration (elst, 8.6.6;
 * `clampMp4Duration` then cuts it to the window and derives tkhd and mvhd),
 * read and written back with `@rec/fmp4-boxes`, each box over its own bytes.
 * Every later sample is then at its real time. The sample before a hole
 * must have an stts entry of its own (the compressor makes each shortened
 * hole a distinct length) and the track must hold `samples` samples, else
 * nothing is written and a `MuxError` says why.
 */
export async function restoreMp4Holes(
  file: string,
  holes: readonly RemovedHole[],
  options: { samples: number },
): Promise<void> {
  if (holes.length === 0) return;
  const moov = await readMoov(file);
  const fail = (message: string) =>
    new MuxError(MuxErrorCode.FfmpegFailed, `${file}: cannot put the video holes back: ${message}`, { file });
  const find = <B extends Box>(from: Box, path: string): B => {
    const found = findBox(from, path) as B | undefined;
    if (found === undefined) throw fail(`no ${from.path}/${path}`);
    return found;
  };

  const movieTimescale = find<MovieHeaderBox>(moov.moov, 'mvhd').timeScale;
  const trak = (findBoxes(moov.moov, 'trak') as Box[]).find(
    (box) => (findBox(box, 'mdia/hdlr') as HandlerBox | undefined)?.handlerType === 'vide',
  );
  if (trak === undefined) throw fail('no video track');
  const mdhd = find<MediaHeaderBox>(trak, 'mdia/mdhd');
  const timescale = mdhd.timeScale;
  const stts = find<TimeToSampleBox>(trak, 'mdia/minf/stbl/stts');

  const toTrack = (ticks: number) => (ticks * timescale) / TS_CLOCK;
  let total = 0;
  let sample = 0;
  let next = 0;
  const entries = stts.sampleCounts.length;
  for (let i = 0; i < entries; i++) {
    const count = stts.sampleCounts[i] as number; // sample_count
    const delta = stts.sampleDurations[i] as number; // sample_delta
    for (; next < holes.length && (holes[next] as RemovedHole).sample - 1 < sample + count; next++) {
      const hole = holes[next] as RemovedHole;
      if (hole.sample - 1 < sample || count !== 1) {
        throw fail(
          `sample ${hole.sample - 1} (before a hole) shares stts entry ${i} with ${count - 1} other(s)`,
        );
      }
      // Not always whole ticks: a hole over 26.5 h also holds 2^33-tick wraps, and the first sample
      // after it was rounded onto the track's grid by ffmpeg from where the TS put it. Rounding the
      // sum gives the true delta back (both ends were on the grid before the hole was taken out).
      const restored = Math.round(delta + toTrack(hole.removed));
      if (restored > MP4_MAX_SAMPLE_DELTA) {
        throw fail(
          `a hole of ${(hole.removed / TS_CLOCK).toFixed(3)} s does not fit one sample at ${timescale} Hz`,
        );
      }
      stts.sampleDurations[i] = restored; // sample_delta
      total += hole.removed;
    }
    sample += count;
  }
  if (sample !== options.samples) {
    throw fail(`the video track has ${sample} samples, the TS had ${options.samples} access units`);
  }
  if (next < holes.length) throw fail(`no sample ${(holes[next] as RemovedHole).sample - 1}`);

  /** `value` plus `added`, within what a version 0 (32-bit) field holds. */
  const grown = (box: Box & { version: number }, value: Uint64, added: number) => {
    const sum = Number(value) + added;
    if (box.version === 0 && sum > 0xffff_ffff) throw fail(`${box.path} duration would not fit 32 bits`);
    return sum;
  };
  mdhd.duration = grown(mdhd, mdhd.duration, Math.round(toTrack(total))); // duration (media)

  const elst = find<EditListBox>(trak, 'edts/elst');
  const last = elst.entries.at(-1);
  if (last === undefined) throw fail('empty video edit list');
  // segment_duration, in the movie timescale
  last.segmentDuration = grown(elst, last.segmentDuration, Math.round((total * movieTimescale) / TS_CLOCK));

  for (const box of [stts, mdhd, elst]) patchBox(moov, box);
  await writeMoov(moov);
}
