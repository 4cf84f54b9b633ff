// xs:dateTime: date, time, optional fraction, optional zone (Z or +hh:mm).
const pattern = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Milliseconds since the Unix epoch of an xs:dateTime, or `undefined`. A
 * value without a zone is taken as UTC, as DASH-IF IOP 4.7 asks of MPD
 * times (Date.parse would take the local zone).
 */
export function parseXsDateTime(text: string): number | undefined {
  const match = pattern.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const ms = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    fraction ? Math.round(Number(`0${fraction}`) * 1000) : 0,
  );
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) return undefined;
  if (Number(hour) > 24 || Number(minute) > 59 || Number(second) > 60) return undefined;
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes =
      (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const value = ms - offsetMinutes * 60_000;
  return Number.isFinite(value) ? value : undefined;
}
