import type { TimeRange } from '@rec/core';
import type { SegmentKind } from '@rec/s3-segments';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';

/** Above this fraction of holes a window is "mostly empty", and the summary warns. */
export const MOSTLY_EMPTY = 0.5;

export interface HoleCheck {
  kind: SegmentKind;
  /** Seconds of `range` no segment of `kind` covers. */
  holeSeconds: number;
  range: TimeRange;
  /** The caller's limit (`maxHoleFraction`), if any. */
  maxHoleFraction?: number;
}

/**
 * Refuses a window whose holes for a kind exceed `maxHoleFraction`
 * (`RECORDER_SPARSE_WINDOW`), and describes one that is more than half
 * holes (`66.7% holes for audio: its segments cover ...`; undefined
 * otherwise) for the recording's one `RECORDER_MOSTLY_EMPTY` warning: a
 * 24-h window holding 6 s of segments is most likely a wrong prefix or
 * window, and would encode 86,394 s of silence.
 */
export function checkHoles(check: HoleCheck): string | undefined {
  const { kind, holeSeconds, range, maxHoleFraction } = check;
  const length = range.end - range.start;
  const fraction = length > 0 ? Math.min(1, Math.max(0, holeSeconds / length)) : 0;
  const share =
    `${(fraction * 100).toFixed(1)}% holes for ${kind}: its segments cover ` +
    `${(length - holeSeconds).toFixed(3)} s of ${length.toFixed(3)} s`;
  if (maxHoleFraction !== undefined && fraction > maxHoleFraction) {
    throw new RecorderError(
      RecorderErrorCode.SparseWindow,
      `Refused: the window is ${share}, more than \`maxHoleFraction\` (${maxHoleFraction}) allows`,
    );
  }
  return fraction > MOSTLY_EMPTY ? share : undefined;
}
