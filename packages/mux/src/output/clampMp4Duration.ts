import type { Box, EditListBox, HandlerBox, MovieHeaderBox, TrackHeaderBox, Uint64 } from '@rec/fmp4-boxes';
import { findBox, findBoxes } from '@rec/fmp4-boxes';
import { needBox, patchBox, readMoov, writeMoov } from '../mp4/Mp4Moov.js';

/** One track of the MP4 after clamping. */
export interface ClampedTrack {
  trackId: number;
  /** `vide`, `soun`... (hdlr handler_type). */
  handler: string;
  /** Presentation duration: the sum of the edit list (or tkhd duration without one). */
  durationSeconds: number;
  /** Whether the edit list was shortened. */
  clamped: boolean;
}

export interface ClampMp4Result {
  /** mvhd duration after clamping. */
  durationSeconds: number;
  tracks: ClampedTrack[];
}

const ticks = (value: Uint64) => Number(value);

/**
 * Shortens the presentation of every track of a (faststart or not) MP4 to
 * at most `maxSeconds`, in place, by editing fixed-size fields only: the
 * last edits of `moov/trak/edts/elst` (segment_duration), `tkhd` duration
 * (derived from the edits, ISO/IEC 14496-12 8.3.2) and `mvhd` duration (the
 * longest track, 8.2.2). No sample is removed: stream copy keeps the
 * reference frames a decoder needs (a P-frame after `end` that B-frames
 * before it refer to), and the edit list hides them. The boxes are read and
 * written back with `@rec/fmp4-boxes`, each over its own bytes.
 */
export async function clampMp4Duration(
  file: string,
  options: { maxSeconds: number },
): Promise<ClampMp4Result> {
  const moov = await readMoov(file);
  const mvhd = needBox<MovieHeaderBox>(moov, moov.moov, 'mvhd');
  const timescale = mvhd.timeScale;
  const maxTicks = Math.round(options.maxSeconds * timescale);

  const tracks: ClampedTrack[] = [];
  let longest = 0;
  for (const trak of findBoxes(moov.moov, 'trak') as Box[]) {
    const tkhd = needBox<TrackHeaderBox>(moov, trak, 'tkhd');
    const handler = (findBox(trak, 'mdia/hdlr') as HandlerBox | undefined)?.handlerType ?? '';
    const elst = findBox(trak, 'edts/elst') as EditListBox | undefined;
    let duration: number;
    let clamped = false;
    if (elst === undefined) {
      duration = ticks(tkhd.duration);
    } else {
      let sum = 0;
      for (const entry of elst.entries) sum += ticks(entry.segmentDuration);
      // Shorten from the last edit backwards until the track fits.
      for (let i = elst.entries.length - 1; i >= 0 && sum > maxTicks; i--) {
        const entry = elst.entries[i] as EditListBox['entries'][number];
        const current = ticks(entry.segmentDuration);
        const next = Math.max(0, current - (sum - maxTicks));
        entry.segmentDuration = next; // segment_duration
        sum -= current - next;
        clamped = true;
      }
      duration = sum;
      if (clamped) patchBox(moov, elst);
      tkhd.duration = duration; // duration: the sum of the edits (8.3.2)
      patchBox(moov, tkhd);
    }
    longest = Math.max(longest, duration);
    tracks.push({ trackId: tkhd.trackId, handler, durationSeconds: duration / timescale, clamped });
  }
  mvhd.duration = longest; // duration: the longest track (8.2.2)
  patchBox(moov, mvhd);
  await writeMoov(moov);
  return { durationSeconds: longest / timescale, tracks };
}
