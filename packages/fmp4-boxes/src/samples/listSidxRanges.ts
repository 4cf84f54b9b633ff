import type { SegmentIndexBox } from '../boxes/SegmentIndexBox.js';

/** One `sidx` reference as a byte range of the file, for a DASH SegmentBase resolver. */
export interface SidxRange {
  /** Absolute offset of the first byte. */
  start: number;
  /** Offset after the last byte (exclusive: an HTTP Range is `bytes=${start}-${end - 1}`). */
  end: number;
  /** Earliest presentation time of the subsegment, seconds. */
  startTime: number;
  /** Seconds. */
  duration: number;
  /** starts_with_SAP. */
  sap: boolean;
  /** SAP_type (1 or 2: a closed or open GOP starts it; 0 unknown). */
  sapType: number;
  /** `media`: moof+mdat; `index`: another sidx (a hierarchical index: read it for its own ranges). */
  kind: 'media' | 'index';
}

/**
 * The references of a `sidx` (ISO/IEC 14496-12 8.16.3.3) as byte ranges:
 * the first starts `first_offset` bytes after the end of the sidx box
 * (its anchor point), each next one where the previous one ends; times
 * start at earliest_presentation_time and add up the subsegment durations.
 * The sidx must have been read with its file offset (`parseBoxes(bytes,
 * { offset })` for bytes fetched by range).
 */
export function listSidxRanges(sidx: SegmentIndexBox): SidxRange[] {
  let start = sidx.offset + sidx.size + Number(sidx.firstOffset);
  let time = Number(sidx.earliestPresentationTime);
  const scale = sidx.timeScale || 1;
  return sidx.references.map((reference) => {
    const range: SidxRange = {
      start,
      end: start + reference.referencedSize,
      startTime: time / scale,
      duration: reference.subsegmentDuration / scale,
      sap: reference.startsWithSap,
      sapType: reference.sapType,
      kind: reference.referenceType === 1 ? 'index' : 'media',
    };
    start = range.end;
    time += reference.subsegmentDuration;
    return range;
  });
}
