import { isRecError, type Progress, RecError } from '@rec/core';
import { describe, expect, it } from 'vitest';
import {
  type Codec,
  EsParseError,
  EsParseErrorCode,
  EsWarningCode,
  muxElementaryStream,
  muxSegments,
  parseAccessUnits,
  readAdts,
  readTs,
} from '../src/index.js';
import { TsWriter } from '../src/ts/index.js';

// A caller's mistake is a TypeError in @rec/core's one wording, thrown when the
// function is called; bad media is an EsParseError (a RecError) with a stable code.

describe('bad options are TypeErrors, thrown at the call', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'muxElementaryStream codec',
      () => muxElementaryStream([], { codec: 'vp9' as Codec }),
      'Expected `codec` to be one of `h264`, `hevc`, got `"vp9"` (string)',
    ],
    [
      'muxElementaryStream frameRate',
      () => muxElementaryStream([], { frameRate: 0 }),
      'Expected `frameRate` to be a number above 0 and up to 1000, got `0` (number)',
    ],
    [
      'muxElementaryStream startTime',
      () => muxElementaryStream([], { startTime: Number.NaN }),
      'Expected `startTime` to be a finite number from 0 and up, got `NaN` (number)',
    ],
    [
      'muxSegments origin',
      () => muxSegments([], { origin: Number.POSITIVE_INFINITY }),
      'Expected `origin` to be a finite number, got `Infinity` (number)',
    ],
    [
      'muxSegments basePts',
      () => muxSegments([], { origin: 0, basePts: -1 }),
      'Expected `basePts` to be a finite number from 0 and up, got `-1` (number)',
    ],
    [
      'muxSegments keep',
      () => muxSegments([], { origin: 0, keep: { start: 10, end: 5 } }),
      'Expected `keep.end` to be a finite number from 10 and up, got `5` (number)',
    ],
    [
      'muxSegments segments',
      () => muxSegments(42 as unknown as [], { origin: 0 }),
      'Expected `segments` to be an (async) iterable of segments, got `42` (number)',
    ],
    [
      'parseAccessUnits startPts',
      () => parseAccessUnits([], { codec: 'h264', startPts: -5 }),
      'Expected `startPts` to be a finite number from 0 and up, got `-5` (number)',
    ],
    [
      'readAdts startPts',
      () => readAdts(new Uint8Array(0), { startPts: Number.NaN }),
      'Expected `startPts` to be a finite number, got `NaN` (number)',
    ],
    [
      'TsWriter pmtPid',
      () => new TsWriter({ codec: 'h264', pmtPid: 0x100 }),
      'Expected `pmtPid` to be a PID other than the video and audio PIDs, got `256` (number)',
    ],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      expect(call).toThrow(new TypeError(message));
    });
  }

  it('readTs rejects a source that is not bytes', async () => {
    await expect(readTs('x.ts' as unknown as Uint8Array)).rejects.toThrow(
      new TypeError(
        'Expected `source` to be a Uint8Array or an (async) iterable of Uint8Array, got `"x.ts"` (string)',
      ),
    );
  });

  it('a segment without a finite startTime fails when it is reached', async () => {
    const output = muxSegments([{ name: 'a.h264', startTime: Number.NaN, source: new Uint8Array(0) }], {
      origin: 0,
    });
    const expected = new TypeError(
      'Expected `segments[0].startTime` to be a finite number, got `NaN` (number)',
    );
    await expect(output.packets[Symbol.asyncIterator]().next()).rejects.toThrow(expected);
    await expect(output.result).rejects.toThrow(expected);
  });
});

describe('errors and warnings', () => {
  it('EsParseError is a RecError with a stable, package-prefixed code', async () => {
    const error = await readTs(new Uint8Array(376).fill(3)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EsParseError);
    expect(error).toBeInstanceOf(RecError);
    expect(isRecError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'EsParseError', code: EsParseErrorCode.InvalidTs, offset: 0 });
    expect((error as Error).message).toMatch(/^at byte 0 \(0x0\): Expected MPEG-TS packets/);
  });

  it('every code is ES_, TS_ or ADTS_ prefixed and unique', () => {
    const codes = [...Object.values(EsParseErrorCode), ...Object.values(EsWarningCode)];
    for (const code of codes) expect(code).toMatch(/^(ES|TS|ADTS)_[A-Z0-9_]+$/);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('progress is @rec/core Progress, percent in [0, 1]', () => {
  it('readTs of one array reports the whole of it', async () => {
    const progress: Progress[] = [];
    // One null packet (PID 0x1FFF).
    const packet = new Uint8Array(188).fill(0xff);
    packet.set([0x47, 0x1f, 0xff, 0x10]);
    await readTs(packet, { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([{ transferred: 188, total: 188, percent: 1, unit: 'bytes' }]);
  });

  it('readAdts of a stream reports bytes without a total', async () => {
    const progress: Progress[] = [];
    const frames = readAdts([new Uint8Array(10)], { onProgress: (p) => progress.push(p) });
    await expect(
      (async () => {
        for await (const _ of frames);
      })(),
    ).rejects.toMatchObject({ code: EsParseErrorCode.InvalidStream });
    expect(progress).toEqual([{ transferred: 10, unit: 'bytes' }]);
  });
});
