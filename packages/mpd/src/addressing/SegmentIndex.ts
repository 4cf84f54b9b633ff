/**
 * The fields of a Segment Index Box (`sidx`, ISO/IEC 14496-12 8.16.3) this
 * package needs, as a sidx reader returns them. `@rec/mpd` takes the reader
 * as an option (`readSidx`) so it depends on no box parser of its own.
 */
export interface SegmentIndexBox {
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
  referenceType: 0 | 1;
  referencedSize: number;
  /** In the sidx timescale. */
  subsegmentDuration: number;
}

/**
 * Reads the sidx box that starts at `offset` in `bytes` (a fetched
 * `@indexRange`, which may hold other boxes before it). Throws when there is
 * none; the thrown error becomes the `cause` of an `MPD_INDEX_INVALID`.
 */
export type ReadSidx = (bytes: Uint8Array, offset: number) => SegmentIndexBox;
