import { z } from 'zod';
import type { ByteRange } from './ByteRange.js';
import { parseXsDateTime } from './xsDateTime.js';
import { parseXsDuration } from './xsDuration.js';

/**
 * The types of MPD attributes (ISO/IEC 23009-1 Annex B schema), as zod
 * schemas from the attribute's string to its value: attribute values stay
 * strings in the XML tree and are converted here, at the edge, once.
 */
export interface AttributeType<T> {
  readonly schema: z.ZodType<T, string>;
  /** What a valid value is, for messages: `expected an unsigned integer`. */
  readonly expected: string;
}

const type = <T>(expected: string, schema: z.ZodType<T, string>): AttributeType<T> => ({ schema, expected });

// Integers as packagers write them: `2000`, `+2000`, `2000.0` (yt-dlp's float_duration.mpd).
const integerText = z
  .string()
  .trim()
  .regex(/^\+?\d+(?:\.0*)?$/)
  .transform((text) => text.replace(/^\+/, '').replace(/\.0*$/, ''));

/** xs:unsignedInt (kept to safe integers). */
export const UnsignedInt = type(
  'an unsigned integer',
  integerText.transform(Number).pipe(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)),
);

/** A positive xs:unsignedInt (`@timescale`). */
export const PositiveInt = type(
  'a positive integer',
  integerText.transform(Number).pipe(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)),
);

/** xs:unsignedLong, exact (`S@t`, `@presentationTimeOffset` reach past 2^53). */
export const UnsignedLong = type(
  'an unsigned integer',
  integerText.transform((text) => BigInt(text)),
);

/**
 * xs:long: `@presentationTimeOffset` is unsigned in the schema, but dash.js'
 * own test content writes negative ones (audio_positive_ept_delta.mpd) and
 * plays them; the arithmetic holds either way.
 */
export const Long = type(
  'an integer',
  z
    .string()
    .trim()
    .regex(/^[+-]?\d+(?:\.0*)?$/)
    .transform((text) => BigInt(text.replace(/^\+/, '').replace(/\.0*$/, ''))),
);

/** xs:integer (`S@r`, which may be -1). */
export const Integer = type(
  'an integer',
  z
    .string()
    .trim()
    .regex(/^[+-]?\d+(?:\.0*)?$/)
    .transform(Number)
    .pipe(z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)),
);

/** xs:double, `INF` included (`@availabilityTimeOffset="INF"`). */
export const Double = type(
  'a number',
  z
    .string()
    .trim()
    .regex(/^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF)$/)
    .transform((text) =>
      text.endsWith('INF') ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text),
    ),
);

/** A non-negative xs:duration, in seconds. */
export const Duration = type(
  'an xs:duration such as PT2S',
  z
    .string()
    .transform((text) => parseXsDuration(text) ?? Number.NaN)
    .pipe(z.number().min(0)),
);

/** xs:dateTime, in milliseconds since the Unix epoch. */
export const DateTime = type(
  'an xs:dateTime such as 2024-01-01T00:00:00Z',
  z
    .string()
    .transform((text) => parseXsDateTime(text) ?? Number.NaN)
    .pipe(z.number()),
);

/** xs:boolean. */
export const XsBoolean = type(
  'true or false',
  z
    .string()
    .trim()
    .regex(/^(?:true|false|1|0)$/)
    .transform((text) => text === 'true' || text === '1'),
);

/** `first-last` or `first-` byte range (RFC 9110 byte-range-spec, as 23009-1 5.3.9.2 refers to it). */
export const Range = type(
  'a byte range first-last',
  z
    .string()
    .trim()
    .regex(/^\d+-\d*$/)
    .transform((text): ByteRange => {
      const [first, last] = text.split('-');
      return last ? { first: Number(first), last: Number(last) } : { first: Number(first) };
    })
    .refine(
      (range) =>
        Number.isSafeInteger(range.first) &&
        (range.last === undefined || (Number.isSafeInteger(range.last) && range.last >= range.first)),
    ),
);

/** FrameRateType: `25` or `30000/1001` (and `29.97`, as written in the wild), as frames per second. */
export const FrameRate = type(
  'a frame rate such as 25 or 30000/1001',
  z
    .string()
    .trim()
    .regex(/^\d+(?:\.\d*)?(?:\/[1-9]\d*)?$/)
    .transform((text) => {
      const [numerator, denominator] = text.split('/');
      return Number(numerator) / Number(denominator ?? 1);
    })
    .pipe(z.number().positive()),
);
