/** What a segment holds. */
export const SegmentKind = { Video: 'video', Audio: 'audio' } as const;
export type SegmentKind = (typeof SegmentKind)[keyof typeof SegmentKind];

/** All kinds, in the order listings yield them. */
export const segmentKinds: readonly SegmentKind[] = [SegmentKind.Video, SegmentKind.Audio];

/** The coding of a segment, as its file extension tells. */
export type SegmentCodec = 'h264' | 'hevc' | 'pcm' | 'aac';

/** One media segment in S3 or in a local directory. */
export interface Segment {
  kind: SegmentKind;
  /** S3 object key, or the path relative to the local root with `/` separators. */
  key: string;
  /** Start of the segment in Unix seconds (fractional for millisecond names). */
  epoch: number;
  /** Bytes. */
  size: number;
  /** The ETag without quotes (S3 only). */
  etag?: string;
  lastModified?: Date;
  codec?: SegmentCodec;
}
