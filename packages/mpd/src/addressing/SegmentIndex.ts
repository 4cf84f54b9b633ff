/**
 * The fields of a Segment Index Box (`sidx`, ISO/IEC 14496-12 8.16.3) this
 * package needs. `readSidx` (default: `@rec/fmp4-boxes`' decoder) is an
 * option so a caller can bring another box reader.
 */
export interface SegmentIndexBox {
  /** Where the box starts in the bytes given to the reader. */
  offset: number;
  /** Size of the whole sidx box in bytes: its end is the anchor of `firstOffset`. */
  size: number;
  timescale: number;
  earliestPresentationTime: bigint;
  /** Bytes from the first byte after the sidx box to the first referenced byte. */
  firstOffset: number;
  references: readonly SegmentIndexReference[];
}

export interface SegmentIndexReference {
  /** 1: the reference points at another sidx (a hierarchical index); 0: at media. */
  referenceType: number;
  referencedSize: number;
  /** In the sidx timescale. */
  subsegmentDuration: number;
}

/**
 * Reads the first sidx box in `bytes` (a fetched `@indexRange`, which may
 * hold other boxes, a `styp`, before it). Throws when there is none; the
 * thrown error becomes the `cause` of an `MPD_INDEX_INVALID`.
 */
export type ReadSidx = (bytes: Uint8Array) => SegmentIndexBox;
