import { describe, expect, it } from 'vitest';
import { directoryPrefix, parseInstant, templatePrefixes } from '../../src/index.js';

const at = (iso: string) => parseInstant(iso);

describe('templatePrefixes', () => {
  it('lists the hours that overlap the window, across midnight and a month end', () => {
    const prefixes = templatePrefixes('{prefix}/{YYYY}/{MM}/{DD}/{HH}/00/{kind}/', {
      prefix: 'recordings/cam05/',
      kind: 'video',
      from: at('2023-11-30T22:59:00Z'),
      to: at('2023-12-01T00:00:01Z'),
    });
    expect(prefixes).toEqual([
      'recordings/cam05/2023/11/30/22/00/video/',
      'recordings/cam05/2023/11/30/23/00/video/',
      'recordings/cam05/2023/12/01/00/00/video/',
    ]);
  });

  it('does not list the hour that starts exactly at the end', () => {
    const prefixes = templatePrefixes('{prefix}/{YYYY}{MM}{DD}/{HH}/', {
      prefix: 'p',
      kind: 'audio',
      from: at('2023-11-14T22:10:00Z'),
      to: at('2023-11-14T23:00:00Z'),
    });
    expect(prefixes).toEqual(['p/20231114/22/']);
  });

  it('steps by day, month or year when that is the finest part', () => {
    const base = { prefix: '', kind: 'video' as const };
    expect(
      templatePrefixes('{prefix}/{YYYY}-{MM}-{DD}/', {
        ...base,
        from: at('2024-02-28T12:00:00Z'),
        to: at('2024-03-01T01:00:00Z'),
      }),
    ).toEqual(['2024-02-28/', '2024-02-29/', '2024-03-01/']);
    expect(
      templatePrefixes('v/{YYYY}/{MM}/', {
        ...base,
        from: at('2023-12-31T00:00:00Z'),
        to: at('2024-01-02T00:00:00Z'),
      }),
    ).toEqual(['v/2023/12/', 'v/2024/01/']);
    expect(
      templatePrefixes('v/{YYYY}/', {
        ...base,
        from: at('2023-06-01T00:00:00Z'),
        to: at('2023-07-01T00:00:00Z'),
      }),
    ).toEqual(['v/2023/']);
    expect(templatePrefixes('{prefix}/static/', { ...base, prefix: 'cam', from: 0, to: 10 })).toEqual([
      'cam/static/',
    ]);
  });

  it('builds the plain directory prefix', () => {
    expect(directoryPrefix('recordings/cam01', '00/video')).toBe('recordings/cam01/00/video/');
    expect(directoryPrefix('recordings/cam01/', '00/video')).toBe('recordings/cam01/00/video/');
    expect(directoryPrefix('', '00/audio')).toBe('00/audio/');
  });
});
