import { describe, expect, it } from 'vitest';
import { byteRangeLength, formatByteRange, parseXsDateTime, parseXsDuration } from '../src/index.js';

describe('xs:duration', () => {
  it.each([
    ['PT0S', 0],
    ['PT2S', 2],
    ['PT1.5S', 1.5],
    ['PT.5S', 0.5],
    ['PT1M30S', 90],
    ['PT1H', 3600],
    ['PT0H0M10.000S', 10],
    ['P1D', 86_400],
    ['P1DT1S', 86_401],
    ['P1W', 604_800],
    ['P1M', 30 * 86_400], // months of 30 days, as players count them
    ['P1Y', 365 * 86_400],
    ['P1Y2M3DT4H5M6.7S', 365 * 86_400 + 60 * 86_400 + 3 * 86_400 + 4 * 3600 + 5 * 60 + 6.7],
    ['-PT5S', -5],
    [' PT3S ', 3],
  ])('%s is %d s', (text, seconds) => {
    expect(parseXsDuration(text)).toBeCloseTo(seconds, 9);
  });

  it.each(['', 'P', 'PT', '5S', 'PT5', 'T5S', 'PT5s', 'P5H', 'PTS', 'PT1S2M'])('%j is not one', (text) => {
    expect(parseXsDuration(text)).toBeUndefined();
  });
});

describe('xs:dateTime', () => {
  it.each([
    ['1970-01-01T00:00:00Z', 0],
    ['2024-05-01T12:00:00Z', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01T12:00:00.250Z', Date.UTC(2024, 4, 1, 12, 0, 0, 250)],
    ['2024-05-01T12:00:00', Date.UTC(2024, 4, 1, 12)], // no zone: UTC (Date.parse would take local time)
    ['2024-05-01T12:00:00+02:00', Date.UTC(2024, 4, 1, 10)],
    ['2024-05-01T12:00:00-0530', Date.UTC(2024, 4, 1, 17, 30)],
  ])('%s', (text, ms) => {
    expect(parseXsDateTime(text)).toBe(ms);
  });

  it.each(['2024-05-01', '2024-13-01T00:00:00Z', 'yesterday', '2024-05-01 12:00:00Z'])(
    '%j is not one',
    (text) => {
      expect(parseXsDateTime(text)).toBeUndefined();
    },
  );
});

describe('byte ranges', () => {
  it('format as HTTP Range values', () => {
    expect(formatByteRange({ first: 0, last: 862 })).toBe('0-862');
    expect(formatByteRange({ first: 100 })).toBe('100-');
    expect(byteRangeLength({ first: 10, last: 19 })).toBe(10);
    expect(byteRangeLength({ first: 10 })).toBeUndefined();
  });
});
