// xs:duration (ISO 8601 PnYnMnDTnHnMnS), with a fraction allowed on any part.
const pattern =
  /^(-)?P(?!$)(?:(\d+(?:\.\d*)?)Y)?(?:(\d+(?:\.\d*)?)M)?(?:(\d+(?:\.\d*)?)W)?(?:(\d+(?:\.\d*)?)D)?(?:T(?!$)(?:(\d+(?:\.\d*)?)H)?(?:(\d+(?:\.\d*)?)M)?(?:(\d+(?:\.\d*)?|\.\d+)S)?)?$/;

/**
 * Seconds in an xs:duration (`PT1M30.5S` -> 90.5), or `undefined` when the
 * text is not one. Years count 365 days and months 30, as shaka-player and
 * dash.js count them (xs:duration leaves them calendar-dependent; no MPD
 * attribute is anchored to a calendar date).
 */
export function parseXsDuration(text: string): number | undefined {
  const match = pattern.exec(text.trim());
  if (!match) return undefined;
  const [, minus, years, months, weeks, days, hours, minutes, seconds] = match;
  const value =
    num(years) * 365 * 86_400 +
    num(months) * 30 * 86_400 +
    num(weeks) * 7 * 86_400 +
    num(days) * 86_400 +
    num(hours) * 3_600 +
    num(minutes) * 60 +
    num(seconds);
  if (!Number.isFinite(value)) return undefined;
  return minus ? -value : value;
}

const num = (part: string | undefined): number => (part === undefined ? 0 : Number(part));
