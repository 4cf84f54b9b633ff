// zod's mini build: the same parsers as `zod`, without the method chains and locales that
// made the full build 730 kB of the dashget CLI's bundle (and 30-40 ms of its start-up).
import * as z from 'zod/mini';
import type { ByteRange } from './ByteRange.js';
import { parseXsDateTime } from './xsDateTime.js';
import { parseXsDuration } from './xsDuration.js';

/**
 * The types of MPD attributes (ISO/IEC 23009-1 Annex B schema), as zod
 * schemas from the attribute's string to its value: attribute values stay
 * strings in the XML tree and are converted here, at the edge, once.
 */
export interface AttributeType<T> {
  readonly schema: z.ZodMiniType<T, string>;
  /** What a valid value is, for messages: `expected an unsigned integer`. */
  readonly expected: string;
}

const type = <T>(expected: string, schema: z.ZodMiniType<T, string>): AttributeType<T> => ({
  schema,
  expected,
});

/** The string, trimmed, when it matches `pattern`. */
const matching = (pattern: RegExp) => z.string().check(z.trim(), z.regex(pattern));

/** A safe integer from `min` up. */
const safeInteger = (min: number) =>
  z.number().check(z.refine(Number.isSafeInteger), z.minimum(min), z.maximum(Number.MAX_SAFE_INTEGER));

// Integers as packagers write them: `2000`, `+2000`, `2000.0` (yt-dlp's float_duration.mpd).
const integerText = z.pipe(
  matching(/^\+?\d+(?:\.0*)?$/),
  z.transform((text: string) => text.replace(/^\+/, '').replace(/\.0*$/, '')),
);

/** xs:unsignedInt (kept to safe integers). */
export const UnsignedInt = type(
  'an unsigned integer',
  z.pipe(z.pipe(integerText, z.transform(Number)), safeInteger(0)),
);

/** A positive xs:unsignedInt (`@timescale`). */
export const PositiveInt = type(
  'a positive integer',
  z.pipe(z.pipe(integerText, z.transform(Number)), safeInteger(1)),
);

/** xs:unsignedLong, exact (`S@t`, `@presentationTimeOffset` reach past 2^53). */
export const UnsignedLong = type(
  'an unsigned integer',
  z.pipe(
    integerText,
    z.transform((text: string) => BigInt(text)),
  ),
);

/**
 * xs:long: `@presentationTimeOffset` is unsigned in the schema, but dash.js'
 * own test content writes negative ones (audio_positive_ept_delta.mpd) and
 * plays them; the arithmetic holds either way.
 */
export const Long = type(
  'an integer',
  z.pipe(
    matching(/^[+-]?\d+(?:\.0*)?$/),
    z.transform((text: string) => BigInt(text.replace(/^\+/, '').replace(/\.0*$/, ''))),
  ),
);

/** xs:integer (`S@r`, which may be -1). */
export const Integer = type(
  'an integer',
  z.pipe(
    z.pipe(matching(/^[+-]?\d+(?:\.0*)?$/), z.transform(Number)),
    z.number().check(z.refine(Number.isSafeInteger)),
  ),
);

/** xs:double, `INF` included (`@availabilityTimeOffset="INF"`). */
export const Double = type(
  'a number',
  z.pipe(
    matching(/^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF)$/),
    z.transform((text: string) =>
      text.endsWith('INF') ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text),
    ),
  ),
);

/** A non-negative xs:duration, in seconds. */
export const Duration = type(
  'an xs:duration such as PT2S',
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((text: string) => parseXsDuration(text) ?? Number.NaN),
    ),
    z.number().check(z.minimum(0)),
  ),
);

/** xs:dateTime, in milliseconds since the Unix epoch. */
export const DateTime = type(
  'an xs:dateTime such as 2024-01-01T00:00:00Z',
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((text: string) => parseXsDateTime(text) ?? Number.NaN),
    ),
    z.number(),
  ),
);

/** xs:boolean. */
export const XsBoolean = type(
  'true or false',
  z.pipe(
    matching(/^(?:true|false|1|0)$/),
    z.transform((text: string) => text === 'true' || text === '1'),
  ),
);

/** `first-last` or `first-` byte range (RFC 9110 byte-range-spec, as 23009-1 5.3.9.2 refers to it). */
export const Range = type(
  'a byte range first-last',
  z
    .pipe(
      matching(/^\d+-\d*$/),
      z.transform((text: string): ByteRange => {
        const [first, last] = text.split('-');
        return last ? { first: Number(first), last: Number(last) } : { first: Number(first) };
      }),
    )
    .check(
      z.refine(
        (range: ByteRange) =>
          Number.isSafeInteger(range.first) &&
          (range.last === undefined || (Number.isSafeInteger(range.last) && range.last >= range.first)),
      ),
    ),
);

/** FrameRateType: `25` or `30000/1001` (and `29.97`, as written in the wild), as frames per second. */
export const FrameRate = type(
  'a frame rate such as 25 or 30000/1001',
  z.pipe(
    z.pipe(
      matching(/^\d+(?:\.\d*)?(?:\/[1-9]\d*)?$/),
      z.transform((text: string) => {
        const [numerator, denominator] = text.split('/');
        return Number(numerator) / Number(denominator ?? 1);
      }),
    ),
    z.number().check(z.positive()),
  ),
);
