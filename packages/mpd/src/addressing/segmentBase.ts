import { MpdError } from '../MpdError.js';
import { MpdWarningCode } from '../MpdWarningCode.js';
import type { BaseSegmentInfo } from '../model/SegmentInfo.js';
import type { ByteRange } from '../values/ByteRange.js';
import { wantedSegments } from './bounds.js';
import {
  type AddressingContext,
  locate,
  type MediaSegment,
  mediaSegment,
  type RepresentationSegments,
  type SegmentLocation,
} from './RepresentationSegments.js';
import type { ReadSidx, SegmentIndexBox } from './SegmentIndex.js';
import { singleSegment } from './singleSegment.js';

/**
 * SegmentBase (ISO/IEC 23009-1 5.3.9.2): the BaseURL is one file; its init
 * is `Initialization` (`@sourceURL` and/or `@range`), its media segments are
 * listed by the sidx at `@indexRange` (or at `RepresentationIndex`). Until
 * the sidx is read `segments` is empty and `index` says where it is; with
 * neither, the whole file is one segment lasting the Period.
 */
export function baseSegments(info: BaseSegmentInfo, context: AddressingContext): RepresentationSegments {
  const init = info.initialization
    ? locate(info.initialization.sourceUrl ?? '', context, info.initialization.range)
    : null;
  let index: SegmentLocation | undefined;
  if (info.representationIndex) {
    index = locate(info.representationIndex.sourceUrl ?? '', context, info.representationIndex.range);
  } else if (info.indexRange) {
    index = locate('', context, info.indexRange);
  }
  if (!index) {
    const single = singleSegment(context);
    return {
      ...single,
      timescale: info.timescale,
      presentationTimeOffset: info.presentationTimeOffset,
      init,
    };
  }
  return {
    timescale: info.timescale,
    presentationTimeOffset: info.presentationTimeOffset,
    init,
    segments: [],
    index,
  };
}

/** The bytes fetched for the index, and the file offset of their first byte. */
export interface SidxPlacement {
  bytes: Uint8Array;
  fileOffset: number;
}

/**
 * The media segments a sidx lists (ISO/IEC 14496-12 8.16.3.3): reference
 * `i` covers the bytes from the first byte after the sidx + `first_offset`
 * + the sizes of the references before it, and `subsegment_duration` from
 * `earliest_presentation_time` on. `reference_type = 1` entries point at
 * further sidx boxes: `loadNested` fetches them (depth-first, the order the
 * spec gives them). Times are in the sidx timescale, which is the media's.
 */
export async function segmentsFromSidx(
  listing: RepresentationSegments,
  placement: SidxPlacement,
  context: AddressingContext & {
    readSidx: ReadSidx;
    loadNested: (range: ByteRange) => Promise<Uint8Array>;
  },
): Promise<RepresentationSegments> {
  if (!listing.index) return listing;
  const path = context.representation.element.path;
  const media = locate('', context);
  const references: { range: ByteRange; time: bigint; duration: number; timescale: number }[] = [];
  let budget = context.maxSegments;
  let cut = false;

  const visit = async (bytes: Uint8Array, fileOffset: number, depth: number): Promise<void> => {
    const sidx = readIndex(bytes, context.readSidx, path);
    // The anchor point: the first byte after the sidx box, in the media file.
    let offset = fileOffset + sidx.offset + sidx.size + sidx.firstOffset;
    let time = sidx.earliestPresentationTime;
    for (const reference of sidx.references) {
      const range = { first: offset, last: offset + reference.referencedSize - 1 };
      if (reference.referenceType === 1) {
        if (depth >= 8)
          throw new MpdError('MPD_INDEX_INVALID', 'sidx references nest deeper than 8', { path });
        await visit(await context.loadNested(range), offset, depth + 1);
      } else if (budget > 0) {
        references.push({ range, time, duration: reference.subsegmentDuration, timescale: sidx.timescale });
        budget--;
      } else {
        cut = true;
      }
      offset += reference.referencedSize;
      time += BigInt(reference.subsegmentDuration);
    }
  };
  await visit(placement.bytes, placement.fileOffset, 0);
  if (cut) {
    context.warnings.add(
      MpdWarningCode.SegmentsCapped,
      `${path}: the sidx lists more than maxSegments ${context.maxSegments} subsegments; the rest left out`,
    );
  }

  const timescale = references[0]?.timescale || listing.timescale;
  // @presentationTimeOffset is in the SegmentBase timescale, the sidx in the media's.
  const pto =
    timescale === listing.timescale
      ? listing.presentationTimeOffset
      : (listing.presentationTimeOffset * BigInt(timescale)) / BigInt(listing.timescale);
  const wanted = wantedSegments(timescale, pto, context.period.duration, undefined, 0, 0);
  const segments = references
    .filter(
      (reference) =>
        reference.time + BigInt(reference.duration) > wanted.bounds.endAfter &&
        (wanted.bounds.startBefore === undefined || reference.time < wanted.bounds.startBefore),
    )
    .map(
      (reference): MediaSegment =>
        mediaSegment({ ...media, range: reference.range }, undefined, reference.time, reference.duration, {
          pto,
          timescale,
          periodStart: context.period.start,
        }),
    );
  return { timescale, presentationTimeOffset: pto, init: listing.init, segments };
}

function readIndex(bytes: Uint8Array, readSidx: ReadSidx, path: string): SegmentIndexBox {
  try {
    return readSidx(bytes);
  } catch (cause) {
    throw new MpdError('MPD_INDEX_INVALID', `no readable sidx in the index: ${(cause as Error).message}`, {
      path,
      cause,
    });
  }
}
