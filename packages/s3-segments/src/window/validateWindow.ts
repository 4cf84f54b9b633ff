import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import type { TimeWindow } from '../types/Segment.js';

/** Checks a window and a pad, and returns the padded bounds `[from, to)`. */
export function validateWindow(window: TimeWindow, pad = 0): { from: number; to: number } {
  const { start, end } = window;
  if (!Number.isFinite(start) || !Number.isFinite(end) || !(end > start)) {
    throw new S3SegmentsError(
      S3SegmentsErrorCode.InvalidOptions,
      `Expected \`window\` with finite \`start\` < \`end\` (Unix seconds), got start ${start}, end ${end}`,
    );
  }
  if (!Number.isFinite(pad) || pad < 0) {
    throw new S3SegmentsError(
      S3SegmentsErrorCode.InvalidOptions,
      `Expected \`pad\` to be a number of seconds from 0 and up, got \`${pad}\``,
    );
  }
  return { from: start - pad, to: end + pad };
}
