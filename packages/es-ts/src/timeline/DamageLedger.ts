import type { WarningLog } from '@rec/core';
import { TS_CLOCK } from '../clock.js';
import { type EsDamage, EsDamageReason } from '../EsDamage.js';
import { EsWarningCode } from '../EsWarningCode.js';

/** A segment that ended damaged, as `muxSegments` saw it (times in PTS, 90 kHz). */
export interface SegmentDamage {
  source: string;
  reason: EsDamageReason;
  /** Where in the segment the loss begins (0 for a skipped segment). */
  offset: number;
  /** Where the problem was found, for the message. */
  foundAt: number;
  /** Pictures seen and left out because of it. */
  pictures: number;
  /** The problem, without its place. */
  detail: string;
  /** The segment's start on the timeline. */
  startPts: number;
  /** End of what the earlier segments put on the timeline (-Infinity before any). */
  coveredUntil: number;
  /** End (last PTS + duration) of the pictures this segment gave (-Infinity when none). */
  segmentEnd: number;
  /** Duration of one of its pictures, 0 when unknown. */
  frameDuration: number;
}

export interface DamageLedgerOptions {
  /** The window in PTS: what is lost outside it is not counted. */
  keep?: { start: number; end: number } | undefined;
  /** Timeline seconds of a PTS. */
  toSeconds: (pts: number) => number;
  warnings: WarningLog<EsWarningCode>;
}

/**
 * The damaged segments of a `muxSegments` run and the part of the timeline
 * each cost (the {@link EsDamage} rules), with their warnings. A damage is
 * recorded when its segment ends and settled when the next segment's start
 * is known, since the lost bytes would have filled the time up to it. Pure:
 * no I/O.
 */
export class DamageLedger {
  readonly #options: DamageLedgerOptions;
  readonly list: EsDamage[] = [];
  #pending: SegmentDamage | undefined;

  constructor(options: DamageLedgerOptions) {
    this.#options = options;
  }

  /** The segment just read was damaged (settles an earlier one first, as if this one's start came next). */
  record(damage: SegmentDamage): void {
    this.settle(damage.startPts);
    this.#pending = damage;
  }

  /**
   * The next segment starts at `nextStartPts`, or (undefined) the input ended:
   * the pending damage costs the time up to that start, else up to
   * `keep.end`, else only its pictures known to be lost. Within `keep`.
   */
  settle(nextStartPts: number | undefined): void {
    const damage = this.#pending;
    if (damage === undefined) return;
    this.#pending = undefined;
    const { keep, toSeconds, warnings } = this.#options;
    const { source, reason, offset, foundAt, pictures, detail } = damage;
    const skipped = reason === EsDamageReason.Empty || reason === EsDamageReason.Undecodable;
    // A skipped segment's loss starts where the timeline stops being covered; a cut one's where its pictures end.
    const from =
      skipped || damage.segmentEnd === Number.NEGATIVE_INFINITY
        ? Math.max(damage.startPts, damage.coveredUntil)
        : damage.segmentEnd;
    const until = nextStartPts ?? keep?.end ?? from + Math.round(pictures * damage.frameDuration);
    const clip = (pts: number) => Math.min(Math.max(pts, keep?.start ?? pts), keep?.end ?? pts);
    const start = clip(from);
    const end = Math.max(start, clip(until));
    // To the microsecond: below a 90 kHz tick, and without float noise in what users read.
    const [startSeconds, endSeconds] = [start, end].map((pts) => Math.round(toSeconds(pts) * 1e6) / 1e6) as [
      number,
      number,
    ];
    const lost = `${((end - start) / TS_CLOCK).toFixed(3)} s lost (${startSeconds.toFixed(3)} to ${endSeconds.toFixed(3)})`;
    let code: EsWarningCode;
    let message: string;
    if (reason === EsDamageReason.Empty) {
      code = EsWarningCode.EmptySegment;
      message = `${source} is empty (0 bytes); skipped: ${lost}`;
    } else if (reason === EsDamageReason.Undecodable) {
      code = EsWarningCode.SegmentSkipped;
      message = `${source} at byte ${foundAt}: ${detail}; skipped: ${lost}`;
    } else {
      code = EsWarningCode.SegmentCut;
      const dropped =
        reason === EsDamageReason.Invalid
          ? ' (the rest of the segment unused)'
          : pictures === 0
            ? ''
            : ` (${pictures === 1 ? '1 picture' : `${pictures} pictures`} dropped)`;
      message = `${source} at byte ${offset}: ${detail}; cut there${dropped}: ${lost}`;
    }
    warnings.add(code, message, { source });
    this.list.push({
      source,
      reason,
      start: startSeconds,
      end: endSeconds,
      offset,
      droppedFrames: pictures,
      message,
    });
  }
}
