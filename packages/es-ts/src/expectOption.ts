import { expectNumber, expectOneOf, invalidOption } from '@rec/core';
import { Codec } from './types.js';

/**
 * Checks of the options the entry points share. A bad value is the caller's
 * mistake, not bad media: a `TypeError` in core's one format
 * (``Expected `codec` to be one of `h264`, `hevc`, got `"vp9"` (string)``).
 */

const CODECS = [Codec.H264, Codec.Hevc] as const;

/** `h264` or `hevc`. */
export function expectCodec(value: unknown, name = 'codec'): Codec {
  return expectOneOf(name, value, CODECS);
}

/** Frames per second above 0 and up to 1000, when given. */
export function expectFrameRate(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0 && value <= 1000)) {
    throw invalidOption('frameRate', 'a number above 0 and up to 1000', value);
  }
  return value;
}

/** A time on the 90 kHz clock (PTS, `basePts`): a finite number from 0 and up. */
export function expectTicks(name: string, value: unknown): number {
  return expectNumber(name, value, 0);
}
