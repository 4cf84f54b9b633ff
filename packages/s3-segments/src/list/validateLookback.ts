import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';

/** Default seconds searched before the window's start for the segment covering it. */
export const defaultLookback = 60;

export function validateLookback(lookback: number | undefined): number {
  if (lookback === undefined) return defaultLookback;
  if (!Number.isFinite(lookback) || lookback < 0) {
    throw new S3SegmentsError(
      S3SegmentsErrorCode.InvalidOptions,
      `Expected \`lookback\` to be a number of seconds from 0 and up, got \`${lookback}\``,
    );
  }
  return lookback;
}
