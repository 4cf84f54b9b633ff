/**
 * One set of conventions across the packages (issue 8): every package's
 * error class extends RecError, and no two packages share an error or a
 * warning code, so a caller can branch on `code` alone.
 */
import { CliErrorCode } from '@rec/cli';
import { RecError } from '@rec/core';
import { DashgetErrorCode, DashgetWarningCode, LiveWarningCode } from '@rec/dashget';
import { EsParseError, EsParseErrorCode, EsWarningCode } from '@rec/es-ts';
import { BoxParseError, BoxParseErrorCode } from '@rec/fmp4-boxes';
import { Mp4DumpErrorCode } from '@rec/mp4dump';
import { MpdError, MpdErrorCode, MpdWarningCode } from '@rec/mpd';
import { MuxError, MuxErrorCode, MuxWarningCode } from '@rec/mux';
import {
  RecorderError,
  RecorderErrorCode,
  RecorderWarningCode,
  RecordingJobError,
  RecordingJobErrorCode,
} from '@rec/recorder';
import { S3SegmentsError, S3SegmentsErrorCode } from '@rec/s3-segments';
import { describe, expect, it } from 'vitest';

const errorTables = {
  '@rec/fmp4-boxes': BoxParseErrorCode,
  '@rec/mpd': MpdErrorCode,
  '@rec/es-ts': EsParseErrorCode,
  '@rec/s3-segments': S3SegmentsErrorCode,
  '@rec/mux': MuxErrorCode,
  // The recorder's own codes and its job queue's (a failed job otherwise keeps the code that failed it).
  '@rec/recorder': { ...RecorderErrorCode, ...RecordingJobErrorCode },
  '@rec/cli': CliErrorCode,
  '@rec/mp4dump': Mp4DumpErrorCode,
  '@rec/dashget': DashgetErrorCode,
};
const warningTables = {
  '@rec/es-ts': EsWarningCode,
  '@rec/mux': MuxWarningCode,
  '@rec/mpd': MpdWarningCode,
  '@rec/recorder': RecorderWarningCode,
  '@rec/dashget': { ...DashgetWarningCode, ...LiveWarningCode },
};

/** Every code with the packages that define it. */
function owners(tables: Record<string, Record<string, string>>): Map<string, string[]> {
  const byCode = new Map<string, string[]>();
  for (const [pkg, table] of Object.entries(tables)) {
    for (const code of new Set(Object.values(table))) byCode.set(code, [...(byCode.get(code) ?? []), pkg]);
  }
  return byCode;
}

describe('error and warning codes', () => {
  it('are unique across packages, errors and warnings together', () => {
    const all = owners({
      ...Object.fromEntries(Object.entries(errorTables).map(([pkg, t]) => [`${pkg} error`, t])),
      ...Object.fromEntries(Object.entries(warningTables).map(([pkg, t]) => [`${pkg} warning`, t])),
    });
    const shared = [...all].filter(([, pkgs]) => pkgs.length > 1);
    expect(shared).toEqual([]);
  });

  it('are SCREAMING_SNAKE_CASE and none is a generic catch-all', () => {
    for (const code of owners({ ...errorTables, ...warningTables }).keys()) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(['INVALID_OPTIONS', 'ABORTED', 'UNSUPPORTED', 'UNKNOWN']).not.toContain(code);
    }
  });
});

describe('error classes', () => {
  const first = <T extends Record<string, string>>(table: T): T[keyof T] =>
    Object.values(table)[0] as T[keyof T];
  const samples: RecError[] = [
    new BoxParseError(first(BoxParseErrorCode), 'x', { offset: 0, path: 'moov' }),
    new MpdError(first(MpdErrorCode), 'x', { path: 'MPD' }),
    new EsParseError(first(EsParseErrorCode), 'x', { offset: 0 }),
    new S3SegmentsError(first(S3SegmentsErrorCode), 'x'),
    new MuxError(first(MuxErrorCode), 'x'),
    new RecorderError(first(RecorderErrorCode), 'x'),
    new RecordingJobError(first(RecordingJobErrorCode), 'x'),
  ];

  it.each(samples.map((error) => [error.name, error] as const))(
    '%s extends RecError with its own name',
    (name, error) => {
      expect(error).toBeInstanceOf(RecError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(name).not.toBe('RecError');
    },
  );

  it('names are distinct', () => {
    expect(new Set(samples.map((error) => error.name)).size).toBe(samples.length);
  });
});
