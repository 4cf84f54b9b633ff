import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  defaultLayout,
  type LayoutInput,
  matchSegmentName,
  parseLayout,
  S3SegmentsError,
} from '../../src/index.js';

describe('parseLayout', () => {
  it('fills in the legacy layout', () => {
    expect(parseLayout({})).toEqual(defaultLayout);
    expect(parseLayout()).toEqual(defaultLayout);
  });

  it('normalises directories, extensions, templates and patterns', () => {
    const layout = parseLayout({
      video: {
        directory: '/streams/main/',
        extensions: ['H264', '.TS'],
        template: '{prefix}/{YYYY}/{MM}/{DD}/{HH}',
      },
      epochPattern: '^seg_(?<epoch>\\d{10})\\.\\w+$',
      namePrefix: 'seg_',
      sortedKeys: false,
      scan: 'prefix',
      epochUnit: 's',
    });
    expect(layout.kinds.video).toEqual({
      directory: 'streams/main',
      extensions: ['.h264', '.ts'],
      template: '{prefix}/{YYYY}/{MM}/{DD}/{HH}/',
    });
    expect(layout.kinds.audio).toEqual(defaultLayout.kinds.audio);
    expect(layout.epochPattern.exec('seg_1700000000.h264')?.groups?.epoch).toBe('1700000000');
    expect([layout.namePrefix, layout.sortedKeys, layout.scan, layout.epochUnit]).toEqual([
      'seg_',
      false,
      'prefix',
      's',
    ]);
  });

  it('strips the global flag so a pattern matches every time', () => {
    const layout = parseLayout({ epochPattern: /^(?<epoch>\d{10})\./g });
    expect(matchSegmentName(layout, 'video', '1700000000.h264')?.epoch).toBe(1700000000);
    expect(matchSegmentName(layout, 'video', '1700000002.h264')?.epoch).toBe(1700000002);
  });

  it.each([
    [[], 'layout: expected an object, got `[]`'],
    [{ vidoe: {} }, 'layout.vidoe: unknown option; expected one of video, audio, epochPattern'],
    [
      { audio: { dir: 'x' } },
      'layout.audio.dir: unknown option; expected one of directory, extensions, template',
    ],
    [{ video: 'x' }, 'layout.video: expected an object, got "x"'],
    [{ video: { directory: '../x' } }, 'layout.video.directory: expected a relative directory'],
    [{ video: { extensions: [] } }, 'layout.video.extensions: expected a non-empty array'],
    [
      { audio: { extensions: ['.wav', 3] } },
      'layout.audio.extensions[1]: expected an extension such as ".h264", got `3`',
    ],
    [{ video: { template: '{prefix}/{YYYY}/{hh}/00/video/' } }, 'unknown token {hh}'],
    [{ epochPattern: '^(\\d{10})' }, 'expected a named group `(?<epoch>...)`'],
    [{ epochPattern: '^(?<epoch>\\d{10}' }, 'expected a regular expression'],
    [
      { epochPattern: /^(\d{10})/ },
      'layout.epochPattern: expected a named group `(?<epoch>...)`, got `^(\\d{10})`',
    ],
    [{ epochPattern: 10 }, 'layout.epochPattern: expected a RegExp or its source text, got `10`'],
    [{ video: { template: '{prefix}/{YYYY/00/video/' } }, 'layout.video.template: unbalanced braces'],
    [{ epochUnit: 'us' }, 'layout.epochUnit: expected one of "auto", "s", "ms", got "us"'],
    [{ namePrefix: 7 }, 'layout.namePrefix: expected a string, got `7`'],
    [{ scan: 'recursive' }, 'layout.scan: expected one of "directory", "prefix", got "recursive"'],
    [{ sortedKeys: 'yes' }, 'layout.sortedKeys: expected true or false, got "yes"'],
  ] as [unknown, string][])('rejects %j', (input, message) => {
    let error: unknown;
    try {
      parseLayout(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(S3SegmentsError);
    expect((error as S3SegmentsError).code).toBe('INVALID_LAYOUT');
    expect((error as Error).message).toContain(message);
  });

  it('names every bad field in one error, one per line', () => {
    let error: unknown;
    try {
      parseLayout({ video: { directory: '', extensions: ['.h264', 'a.b'] }, sortedKeys: 1, extra: true });
    } catch (caught) {
      error = caught;
    }
    expect((error as S3SegmentsError).code).toBe('INVALID_LAYOUT');
    expect((error as Error).message.split('\n')).toEqual([
      'layout.video.directory: expected a relative directory such as `00/video`, got ""',
      'layout.video.extensions[1]: expected an extension such as ".h264", got "a.b"',
      'layout.sortedKeys: expected true or false, got `1`',
      'layout.extra: unknown option; expected one of video, audio, epochPattern, epochUnit, namePrefix, sortedKeys, scan',
    ]);
  });

  it('accepts readonly extensions and a RegExp in its input type', () => {
    const input = {
      video: { extensions: defaultLayout.kinds.video.extensions },
      epochPattern: defaultLayout.epochPattern,
    } satisfies LayoutInput;
    expect(parseLayout(input)).toEqual(defaultLayout);
    expectTypeOf<{ scan: 'prefix'; epochUnit: 'ms' }>().toExtend<LayoutInput>();
    expectTypeOf<{ scan: 'recursive' }>().not.toExtend<LayoutInput>();
  });
});

describe('matchSegmentName', () => {
  it.each([
    ['video', '1700000000.h264', { epoch: 1700000000, codec: 'h264' }],
    ['video', '1700000000.264', { epoch: 1700000000, codec: 'h264' }],
    ['video', '1700000000.H265', { epoch: 1700000000, codec: 'hevc' }],
    ['video', '1700000000.hevc', { epoch: 1700000000, codec: 'hevc' }],
    ['video', '1700000000123.h264', { epoch: 1700000000.123, codec: 'h264' }],
    ['audio', '1700000000.wav', { epoch: 1700000000, codec: 'pcm' }],
    ['audio', '1700000000.aac', { epoch: 1700000000, codec: 'aac' }],
    ['video', '1700000000.wav', undefined],
    ['audio', '1700000000.h264', undefined],
    ['video', '170000000.h264', undefined],
    ['video', '17000000000.h264', undefined],
    ['video', '1700000000.h264.part', undefined],
    ['video', 'x1700000000.h264', undefined],
    ['video', '1700000000', undefined],
  ] as const)('%s %s', (kind, name, expected) => {
    expect(matchSegmentName(defaultLayout, kind, name)).toEqual(expected);
  });
});
