import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';

// ISO 8601-1:2019 5.4.2 (calendar date and time of day, extended format) with
// a UTC designator or an offset (5.3.4); `T` or one space between date and time.
const iso8601 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * Reads a time as Unix seconds:
 * - up to 10 integer digits: seconds (`1700000000`, `1700000000.5`);
 * - 13 integer digits: milliseconds (`1700000000500`);
 * - ISO-8601 with a zone (`2023-11-14T22:13:20Z`, `2023-11-14T23:13:20.5+01:00`).
 *
 * Anything else (11-12 or 14+ digits, an ISO time without zone, a date
 * alone) is ambiguous and rejected with `INVALID_INSTANT` naming the value.
 */
export function parseInstant(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) fail(input, 'expected a non-negative finite number');
    const digits = Math.trunc(input).toString().length;
    return fromDigits(input, digits, input);
  }
  if (typeof input !== 'string') fail(input, 'expected a string or a number');
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return fromDigits(Number(text), text.split('.')[0]?.length ?? 0, input);
  const match = iso8601.exec(text);
  if (match === null) {
    const hint = /^\d{4}-\d{2}-\d{2}([Tt ][\d:.]+)?$/.test(text)
      ? 'an ISO-8601 time needs a zone (`Z` or `+01:00`): local time is ambiguous'
      : 'expected Unix seconds (10 digits), milliseconds (13 digits) or ISO-8601 with a zone';
    fail(input, hint);
  }
  const [
    ,
    year,
    month,
    day,
    hour,
    minute,
    second = '0',
    fraction = '',
    zulu,
    sign,
    offsetHours,
    offsetMinutes = '0',
  ] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = fields;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59) {
    fail(input, 'not a valid calendar date and time');
  }
  const offset = zulu
    ? 0
    : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60);
  if (!zulu && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59))
    fail(input, 'not a valid UTC offset');
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + (fraction === '' ? 0 : Number(`0${fraction}`)) - offset;
}

function fromDigits(value: number, integerDigits: number, input: unknown): number {
  if (integerDigits <= 10) return value;
  if (integerDigits === 13) return value / 1000;
  fail(input, `${integerDigits} digits is neither Unix seconds (10 digits) nor milliseconds (13 digits)`);
}

function fail(input: unknown, reason: string): never {
  const shown = typeof input === 'string' ? `"${input}"` : String(input);
  throw new S3SegmentsError(S3SegmentsErrorCode.InvalidInstant, `Cannot read time ${shown}: ${reason}`);
}
