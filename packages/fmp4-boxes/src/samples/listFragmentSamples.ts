import type { Box } from '../Box.js';
import { BoxParseError } from '../BoxParseError.js';
import type { TrackExtendsBox } from '../boxes/MovieExtendsBoxes.js';
import {
  SampleFlags,
  type TrackFragmentBaseMediaDecodeTimeBox,
  type TrackFragmentHeaderBox,
  TrackFragmentHeaderFlags,
  type TrackRunBox,
} from '../boxes/MovieFragmentBoxes.js';
import { findBox, findBoxes } from '../find/findBox.js';
import { type FragmentSample, signedOffset } from './Sample.js';

export interface FragmentSampleOptions {
  /** The movie's `moov/mvex/trex` boxes: the defaults of what tfhd and trun leave out. */
  trex?: readonly TrackExtendsBox[];
  /**
   * Decode time of each track's next sample, by track id: read when a
   * `traf` has no `tfdt`, and updated after each `traf` (pass the same map
   * for every fragment of a file).
   */
  decodeTimes?: Map<number, number>;
  /** Only this track's samples. */
  trackId?: number;
}

/**
 * The samples of a `moof` (ISO/IEC 14496-12 8.8), track fragment by track
 * fragment, run by run. Each field comes from the trun entry, else the
 * tfhd default, else the trex default (8.8.3, 8.8.7, 8.8.8). Byte offsets
 * follow 8.8.7.1: the tfhd base_data_offset, else the moof's first byte
 * (for every traf with default-base-is-moof, else for the first traf only;
 * a later traf starts where the previous one's data ended), plus the
 * trun's data_offset (a run without one follows the previous run). A
 * sample is sync unless its flags say sample_is_non_sync_sample.
 */
export function* listFragmentSamples(
  moof: Box,
  options: FragmentSampleOptions = {},
): Generator<FragmentSample, void, undefined> {
  let previousEnd: number | undefined; // end of the previous traf's data
  for (const traf of findBoxes(moof, 'traf')) {
    const tfhd = findBox(traf, 'tfhd') as TrackFragmentHeaderBox | undefined;
    if (tfhd === undefined || !('trackId' in tfhd)) throw invalid(traf, 'no decoded tfhd');
    const { trackId, flags } = tfhd;
    const trex = options.trex?.find((box) => box.trackId === trackId);
    const tfdt = findBox(traf, 'tfdt') as TrackFragmentBaseMediaDecodeTimeBox | undefined;
    let dts =
      tfdt?.baseMediaDecodeTime !== undefined
        ? Number(tfdt.baseMediaDecodeTime)
        : (options.decodeTimes?.get(trackId) ?? 0);
    let base: number;
    if (tfhd.baseDataOffset !== undefined) base = Number(tfhd.baseDataOffset);
    else if (flags & TrackFragmentHeaderFlags.DefaultBaseIsMoof || previousEnd === undefined)
      base = moof.offset;
    else base = previousEnd;
    const defaultDuration = tfhd.defaultSampleDuration ?? trex?.defaultSampleDuration ?? 0;
    const defaultSize = tfhd.defaultSampleSize ?? trex?.defaultSampleSize ?? 0;
    const defaultFlags = tfhd.defaultSampleFlags ?? trex?.defaultSampleFlags ?? 0;
    let offset = base;
    for (const trun of findBoxes(traf, 'trun') as TrackRunBox[]) {
      if (!('sampleCount' in trun)) throw invalid(trun, 'trun not decoded');
      if (trun.dataOffset !== undefined) offset = base + trun.dataOffset;
      for (let i = 0; i < trun.sampleCount; i++) {
        const entry = trun.entries[i];
        const duration = entry?.sampleDuration ?? defaultDuration;
        const size = entry?.sampleSize ?? defaultSize;
        const sampleFlags =
          i === 0 && trun.firstSampleFlags !== undefined
            ? trun.firstSampleFlags
            : (entry?.sampleFlags ?? defaultFlags);
        const compositionOffset = entry?.sampleCompositionTimeOffset ?? 0;
        const cts = dts + (trun.version === 0 ? signedOffset(compositionOffset) : compositionOffset);
        if (options.trackId === undefined || options.trackId === trackId) {
          yield {
            trackId,
            offset,
            size,
            dts,
            cts,
            duration,
            sync: (sampleFlags & SampleFlags.IsNonSync) === 0,
          };
        }
        offset += size;
        dts += duration;
      }
    }
    previousEnd = offset;
    options.decodeTimes?.set(trackId, dts);
  }
}

const invalid = (box: Box, message: string) =>
  new BoxParseError('BOX_INVALID', message, { offset: box.offset, path: box.path });
