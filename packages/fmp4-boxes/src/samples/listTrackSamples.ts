import type { Box } from '../Box.js';
import { BoxParseError } from '../BoxParseError.js';
import type {
  ChunkOffsetBox,
  CompositionOffsetBox,
  SampleSizeBox,
  SampleToChunkBox,
  SyncSampleBox,
  TimeToSampleBox,
} from '../boxes/SampleTableBoxes.js';
import { findBox } from '../find/findBox.js';
import { type Sample, signedOffset } from './Sample.js';

/**
 * The samples of a `trak` from its sample tables (ISO/IEC 14496-12 8.6,
 * 8.7): sizes from stsz/stz2, chunks from stsc and stco/co64 (a sample's
 * offset is its chunk's plus the sizes of the samples before it in the
 * chunk, 8.7.4), decode times from stts, composition offsets from ctts,
 * sync samples from stss (every sample when there is none, 8.6.2.1).
 * A generator: nothing per sample is kept. A fragmented file's `trak` has
 * no samples here; they are in its `moof`s (`listFragmentSamples`).
 *
 * Tables that disagree (fewer chunks than the samples need, stts covering
 * fewer samples) end the iteration with a `BoxParseError` (`BOX_INVALID`).
 */
export function* listTrackSamples(trak: Box): Generator<Sample, void, undefined> {
  const stbl = findBox(trak, 'mdia/minf/stbl');
  if (stbl === undefined) return;
  const sizes = (findBox(stbl, 'stsz') ?? findBox(stbl, 'stz2')) as SampleSizeBox | undefined;
  const stts = findBox(stbl, 'stts') as TimeToSampleBox | undefined;
  const stsc = findBox(stbl, 'stsc') as SampleToChunkBox | undefined;
  const chunks = (findBox(stbl, 'stco') ?? findBox(stbl, 'co64')) as ChunkOffsetBox | undefined;
  const ctts = findBox(stbl, 'ctts') as CompositionOffsetBox | undefined;
  const stss = findBox(stbl, 'stss') as SyncSampleBox | undefined;
  if (sizes === undefined || sizes.sampleCount === 0) return;
  const missing = [
    ['stts', stts],
    ['stsc', stsc],
    ['stco', chunks],
  ].find(([, table]) => table === undefined || !('version' in (table as object)));
  if (missing) throw invalid(stbl, `${sizes.sampleCount} samples but no decoded ${missing[0]}`);
  const { sampleCounts: timeCounts, sampleDurations } = stts!;
  const { firstChunks, samplesPerChunk } = stsc!;
  const offsets = chunks!.entries;

  let timeRun = 0; // stts entry
  let timeLeft = timeCounts[0] ?? 0;
  let ctsRun = 0; // ctts entry
  let ctsLeft = ctts?.sampleCounts[0] ?? 0;
  let nextSync = 0; // index into stss
  let chunkRun = 0; // stsc entry
  let dts = 0;
  let sample = 0;
  for (let chunk = 1; sample < sizes.sampleCount; chunk++) {
    if (chunk > offsets.length) {
      throw invalid(
        chunks!,
        `${offsets.length} chunks hold ${sample} samples, stsz has ${sizes.sampleCount}`,
      );
    }
    while (chunkRun + 1 < firstChunks.length && firstChunks[chunkRun + 1]! <= chunk) chunkRun++;
    const inChunk = samplesPerChunk[chunkRun] ?? 0;
    const chunkOffset = offsets[chunk - 1]!;
    // A co64 offset past 2^53 - 1 (kept as a bigint) is past the end of any file: no sample can be there.
    if (typeof chunkOffset === 'bigint')
      throw invalid(chunks!, `chunk ${chunk} at offset ${chunkOffset}, past 2^53`);
    let offset = chunkOffset;
    for (let i = 0; i < inChunk && sample < sizes.sampleCount; i++, sample++) {
      while (timeLeft === 0) {
        timeRun++;
        if (timeRun >= timeCounts.length) {
          throw invalid(stts!, `stts covers ${sample} samples, stsz has ${sizes.sampleCount}`);
        }
        timeLeft = timeCounts[timeRun]!;
      }
      const duration = sampleDurations[timeRun]!;
      timeLeft--;
      let compositionOffset = 0;
      if (ctts !== undefined) {
        while (ctsLeft === 0 && ctsRun + 1 < ctts.sampleCounts.length) ctsLeft = ctts.sampleCounts[++ctsRun]!;
        if (ctsLeft > 0) {
          compositionOffset =
            ctts.version === 0 ? signedOffset(ctts.sampleOffsets[ctsRun]!) : ctts.sampleOffsets[ctsRun]!;
          ctsLeft--;
        }
      }
      let sync = true;
      if (stss !== undefined) {
        while (nextSync < stss.entries.length && stss.entries[nextSync]! < sample + 1) nextSync++;
        sync = stss.entries[nextSync] === sample + 1;
      }
      const size = sizes.sampleSize !== 0 ? sizes.sampleSize : sizes.entries[sample]!;
      yield { offset, size, dts, cts: dts + compositionOffset, duration, sync };
      offset += size;
      dts += duration;
    }
  }
}

const invalid = (box: Box, message: string) =>
  new BoxParseError('BOX_INVALID', message, { offset: box.offset, path: box.path });
