import { describe, expect, it } from 'vitest';
import { parseInstant, S3SegmentsError } from '../../src/index.js';

describe('parseInstant', () => {
  it.each([
    ['1700000000', 1700000000],
    [' 1700000000 ', 1700000000],
    ['1700000000.5', 1700000000.5],
    ['999999999', 999999999],
    ['1700000000500', 1700000000.5],
    [1700000000, 1700000000],
    [1700000000.25, 1700000000.25],
    [1700000000500, 1700000000.5],
    ['2023-11-14T22:13:20Z', 1700000000],
    ['2023-11-14T22:13:20.500Z', 1700000000.5],
    ['2023-11-14t22:13:20z', 1700000000],
    ['2023-11-14 22:13:20Z', 1700000000],
    ['2023-11-14T23:13:20+01:00', 1700000000],
    ['2023-11-14T23:13:20+0100', 1700000000],
    ['2023-11-14T23:13:20+01', 1700000000],
    ['2023-11-14T17:43:20-04:30', 1700000000],
    ['2023-11-14T22:13Z', 1699999980],
    ['2024-02-29T00:00:00Z', 1709164800],
  ] as const)('%s -> %s', (input, expected) => {
    expect(parseInstant(input)).toBeCloseTo(expected, 6);
  });

  it.each([
    ['', 'expected Unix seconds'],
    ['17000000000', '11 digits'],
    ['170000000000', '12 digits'],
    ['17000000000000', '14 digits'],
    ['2023-11-14T22:13:20', 'needs a zone'],
    ['2023-11-14', 'needs a zone'],
    ['2023-02-29T00:00:00Z', 'not a valid calendar date'],
    ['2023-11-14T24:00:00Z', 'not a valid calendar date'],
    ['2023-11-14T22:13:20+25:00', 'not a valid UTC offset'],
    ['yesterday', 'expected Unix seconds'],
    ['-5', 'expected Unix seconds'],
    [-1, 'non-negative'],
    [Number.NaN, 'non-negative finite'],
  ] as const)('rejects %s', (input, reason) => {
    let error: unknown;
    try {
      parseInstant(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(S3SegmentsError);
    expect((error as S3SegmentsError).code).toBe('INVALID_INSTANT');
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).toContain(typeof input === 'string' ? `"${input}"` : String(input));
  });
});
