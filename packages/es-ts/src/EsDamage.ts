import type { TimeRange } from '@rec/core';

/** Why a segment, or the end of one, is missing from the output ({@link EsDamage.reason}). */
export const EsDamageReason = {
  /** The segment has no bytes at all. */
  Empty: 'empty',
  /**
   * Not one decodable picture: not an Annex-B stream of the recording's
   * codec (random bytes, HEVC in an H.264 recording), or no keyframe.
   */
  Undecodable: 'undecodable',
  /** The input ends inside a picture or a parameter set: the incomplete picture was cut. */
  Truncated: 'truncated',
  /** Bytes after decodable pictures that cannot be parsed: the segment was cut there. */
  Invalid: 'invalid',
} as const;
export type EsDamageReason = (typeof EsDamageReason)[keyof typeof EsDamageReason];

/**
 * A damaged segment and the part of the timeline its damage costs: `[start,
 * end)` in timeline seconds (the segments' `startTime` scale, Unix seconds in
 * a recording), within `keep` when one was given. A skipped segment (`empty`,
 * `undecodable`) loses from its `startTime` (or from the end of what earlier
 * segments cover) up to the next segment's `startTime`; a cut one (`truncated`,
 * `invalid`) from the end of its last picture written up to the next
 * segment's `startTime`, since the bytes that would have filled that time are
 * gone. After the last segment, `end` is `keep.end`, or without `keep` the end
 * of the pictures known to be dropped. The range can be empty (a damaged
 * segment wholly before `keep.start`, or a trailing parameter set cut with
 * nothing after it).
 */
export interface EsDamage extends TimeRange {
  /** The segment's name (`EsSegment.name`; the recorder's S3 key). */
  source: string;
  reason: EsDamageReason;
  /** Byte offset in the segment where the damage begins (0 for a skipped segment). */
  offset: number;
  /** Pictures of the segment left out because of the damage that were seen (the incomplete one), decoding order. */
  droppedFrames: number;
  /** What was found, as the warning says it (segment name, byte offset, what was lost). */
  message: string;
}
