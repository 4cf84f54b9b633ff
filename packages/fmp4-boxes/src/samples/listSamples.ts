import type { Box } from '../Box.js';
import type { TrackExtendsBox } from '../boxes/MovieExtendsBoxes.js';
import type { TrackHeaderBox } from '../boxes/TrackHeaderBox.js';
import { findBoxes } from '../find/findBox.js';
import { listFragmentSamples } from './listFragmentSamples.js';
import { listTrackSamples } from './listTrackSamples.js';
import type { Sample } from './Sample.js';

/**
 * Every sample of track `trackId` in a file's top-level boxes, in decode
 * order: those of its `moov/trak` sample tables, then those of every
 * `moof` in file order (with the `trex` defaults of `moov/mvex`, and
 * decode times running on across fragments without `tfdt`).
 */
export function* listSamples(boxes: readonly Box[], trackId: number): Generator<Sample, void, undefined> {
  const trak = findBoxes(boxes, 'moov/trak').find(
    (box) =>
      (box.children?.find((child) => child.type === 'tkhd') as TrackHeaderBox | undefined)?.trackId ===
      trackId,
  );
  let dts = 0;
  if (trak !== undefined) {
    for (const sample of listTrackSamples(trak)) {
      dts = sample.dts + sample.duration;
      yield sample;
    }
  }
  const trex = findBoxes(boxes, 'moov/mvex/trex') as TrackExtendsBox[];
  const decodeTimes = new Map([[trackId, dts]]);
  for (const moof of boxes) {
    if (moof.type !== 'moof') continue;
    for (const { trackId: _, ...sample } of listFragmentSamples(moof, { trex, decodeTimes, trackId }))
      yield sample;
  }
}
