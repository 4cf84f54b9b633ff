import { parseInstant as parseInstantText } from '@rec/s3-segments';
import type { Instant } from './RecordOptions.js';

/**
 * An instant as Unix seconds: a `Date`, or what @rec/s3-segments'
 * `parseInstant` reads (Unix seconds or milliseconds as a number or a
 * string, ISO-8601 with a zone). Anything else throws an `S3SegmentsError`
 * with code `INVALID_INSTANT` naming the value.
 */
export function parseInstant(value: Instant): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    // An invalid Date is read as its text ("Invalid Date"), which says what it is.
    return parseInstantText(Number.isNaN(ms) ? String(value) : ms / 1000);
  }
  return parseInstantText(value);
}
