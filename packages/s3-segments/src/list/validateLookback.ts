import { expectNumber } from '@rec/core';

/** Default seconds searched before the window's start for the segment covering it. */
export const defaultLookback = 60;

export function validateLookback(lookback: number | undefined): number {
  return lookback === undefined ? defaultLookback : expectNumber('lookback', lookback, 0);
}
