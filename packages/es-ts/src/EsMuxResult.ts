import type { RecWarning } from '@rec/core';
import type { EsDamage } from './EsDamage.js';
import type { EsWarningCode } from './EsWarningCode.js';
import type { TsTarget } from './TsTarget.js';

/** A segment that starts before the previous one ends (muxSegments). */
export interface EsSegmentOverlap {
  previous: string;
  next: string;
  /** How far `next` starts before `previous` ends. */
  seconds: number;
  /** Pictures of `next` dropped to keep the timeline monotonic (decoding order, up to a keyframe past the overlap). */
  droppedFrames: number;
}

/** Per segment: what was written. */
export interface EsSegmentSummary {
  name: string;
  /** Pictures written. */
  frames: number;
  /** Smallest PTS written (90 kHz), undefined when nothing was. */
  firstPts: number | undefined;
  /**
   * Where the pictures written end (90 kHz): the largest `pts + duration`
   * of its access units, the end of the last one presented; undefined when
   * nothing was. `[firstPts, endPts)` is what the segment covers.
   */
  endPts: number | undefined;
  /** Bytes read. */
  bytes: number;
}

/** What {@link muxElementaryStream} / {@link muxSegments} wrote. */
export interface EsMuxResult {
  /** Pictures written. */
  frames: number;
  /**
   * Pictures written whose PTS is inside `keep` (every picture without it):
   * what a player presents of a recording cut to `keep` by an MP4 edit list,
   * as ffprobe `-count_frames` counts them there. `frames` also counts the
   * GOP head before `keep.start` and the reference pictures after `keep.end`
   * that decoding needs; a TS presents all of `frames`.
   */
  presentedFrames: number;
  /** AAC frames written (the `audio` option). */
  audioFrames: number;
  keyframes: number;
  /** Pictures dropped before the first keyframe of each input (plus undecodable open-GOP leading pictures). */
  droppedLeadingFrames: number;
  /** First presented PTS (90 kHz). */
  firstPts: number;
  /** Last presented PTS (90 kHz). */
  lastPts: number;
  /** Frame duration (90 kHz, rounded). */
  frameDuration: number;
  /** From the first presented frame to the end of the last one. */
  durationSeconds: number;
  /** Timeline seconds of the first presented frame. */
  presentationStart: number;
  /**
   * The timeline the PTS are on: timeline second t has PTS
   * `(t - origin) * TS_CLOCK + basePts` (as `muxSegments` was given them;
   * for `muxElementaryStream`, `origin` is `startTime`). What a later stage
   * (`writeRecording`) needs to place other streams beside this one.
   */
  origin: number;
  /** PTS (90 kHz) of timeline second `origin`. */
  basePts: number;
  warnings: RecWarning<EsWarningCode>[];
  /**
   * Damaged segments, in input order: skipped (empty, nothing decodable) or
   * cut (ends inside a picture, unparsable bytes), with the timeline seconds
   * each cost (see {@link EsDamage}). A gap in the recording for each.
   */
  damaged: EsDamage[];
  overlaps: EsSegmentOverlap[];
  segments: EsSegmentSummary[];
  bytesIn: number;
  bytesOut: number;
}

/** An output being produced: consume `packets` or call `writeTo`; `result` settles when they are done. */
export interface EsMuxOutput {
  /** Whole 188-byte TS packets, in order, in fresh memory: each array stays valid after the next one is produced. */
  packets: AsyncIterable<Uint8Array>;
  result: Promise<EsMuxResult>;
  /**
   * Writes the TS to `target` instead (do not also read `packets`): the
   * packets go into a few buffers (4 MiB) that are reused as soon as the
   * target has consumed them, so memory stays flat whatever the length, and
   * the target's pace throttles the muxing. Resolves with the result once
   * every write has settled.
   */
  writeTo(target: TsTarget): Promise<EsMuxResult>;
}
