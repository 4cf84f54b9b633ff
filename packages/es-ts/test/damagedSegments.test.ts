import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  encodeTestVideo,
  ffmpegDecodeWarnings,
  makeTempDir,
  probeFrames,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLastPicture } from '../src/bitstream/index.js';
import {
  type Codec,
  type EsMuxOutput,
  type EsSegment,
  EsWarningCode,
  muxElementaryStream,
  muxSegments,
} from '../src/index.js';
import { esPackets } from './helpers/truth.js';
import { splitAnnexB } from './ts/fixtures.js';

// Issue 9 item 7: a damaged segment is skipped or cut with a warning that names it and what was
// lost, and is listed (timeline seconds) so the recorder counts it as a gap; `strict` fails instead.
// Every stream is a real libx264/libx265 encode (2 s, 25 fps, 3 B-frames); every output is decoded
// by ffmpeg, which must not complain, and its pictures are counted and timed.

const ORIGIN = 1_700_000_000;
const BASE = 126_000;
/** PTS (90 kHz) of timeline second ORIGIN + `seconds`. */
const at = (seconds: number) => BASE + Math.round(seconds * 90_000);

let tmp: TempDir;
/** Whole streams, by codec and kind. */
const streams: Record<string, Uint8Array> = {};

beforeAll(async () => {
  tmp = await makeTempDir('es-ts-damaged-');
  const encode = async (
    name: string,
    codec: Codec,
    options: { slices?: number; repeatHeaders?: boolean } = {},
  ) => {
    const file = join(tmp.path, `${name}.${codec === 'hevc' ? 'h265' : 'h264'}`);
    await encodeTestVideo(file, { codec, seconds: 2, bframes: 3, format: codec, ...options });
    streams[name] = new Uint8Array(await readFile(file));
    return file;
  };
  await Promise.all([
    encode('h264', 'h264'),
    encode('h264-slices', 'h264', { slices: 4 }),
    encode('h264-headers', 'h264', { repeatHeaders: true }),
    encode('hevc', 'hevc'),
  ]);
});
afterAll(async () => {
  await tmp?.remove();
});

async function writeOut(output: EsMuxOutput, name: string) {
  const file = join(tmp.path, name);
  const parts: Uint8Array[] = [];
  for await (const p of output.packets) parts.push(p);
  await writeFile(file, Buffer.concat(parts));
  return { file, result: await output.result };
}

/** ffmpeg decodes the file without a word (`-v warning`: errors, concealment, corrupt packets). */
async function expectCleanDecode(file: string) {
  expect(await ffmpegDecodeWarnings(file)).toBe('');
}

/** Frame PTS of a segment of `count` pictures starting at timeline second ORIGIN + `start`, one frame apart. */
const slots = (start: number, count: number) => Array.from({ length: count }, (_, i) => at(start + i * 0.04));

/** Presented PTS of the decoded file, in presentation order. */
async function presented(file: string) {
  return (await probeFrames(file)).map((f) => f.pts!).sort((a, b) => a - b);
}

/**
 * Access unit `index` (decoding order, as ffmpeg's parser splits the stream)
 * of a stream: its byte range and its slice NAL units (offsets in the stream).
 */
async function accessUnit(name: string, codec: Codec, index: number) {
  const file = join(tmp.path, `${name}.${codec === 'hevc' ? 'h265' : 'h264'}`);
  const units = await esPackets(file, codec);
  const data = streams[name]!;
  const start = units[index]!.pos;
  const end = units[index + 1]?.pos ?? data.length;
  const slices = splitAnnexB(data, codec)
    .map((nal) => ({
      type: nal.type,
      offset: nal.bytes.byteOffset - data.byteOffset,
      length: nal.bytes.length,
    }))
    .filter((nal) => nal.offset >= start && nal.offset < end && nal.type < (codec === 'h264' ? 6 : 32));
  return { start, end, slices };
}

const good = (name: string, start: number, stream = 'h264'): EsSegment => ({
  name,
  startTime: ORIGIN + start,
  source: streams[stream]!,
});

describe('damaged segments are skipped or cut, warned about and listed', () => {
  it('H.264: random bytes and an HEVC segment are skipped; their time is listed up to the next segment', async () => {
    const segments = [
      good('0.h264', 0),
      { name: '2.h264', startTime: ORIGIN + 2, source: randomBytes(200_000) },
      { name: '4.h264', startTime: ORIGIN + 4, source: streams.hevc! },
      good('6.h264', 6),
    ];
    const { file, result } = await writeOut(muxSegments(segments, { origin: ORIGIN }), 'skipped.ts');
    expect(result.segments.map((s) => [s.name, s.frames])).toEqual([
      ['0.h264', 50],
      ['2.h264', 0],
      ['4.h264', 0],
      ['6.h264', 50],
    ]);
    expect(result.damaged.map(({ message: _, ...d }) => d)).toEqual([
      {
        source: '2.h264',
        reason: 'undecodable',
        start: ORIGIN + 2,
        end: ORIGIN + 4,
        offset: 0,
        droppedFrames: 0,
      },
      {
        source: '4.h264',
        reason: 'undecodable',
        start: ORIGIN + 4,
        end: ORIGIN + 6,
        offset: 0,
        // The pictures it seemed to have (none of them decodable).
        droppedFrames: 1,
      },
    ]);
    expect(result.damaged[0]!.message).toBe(
      '2.h264 at byte 0: no start code (00 00 01) in the first 65536 bytes: not an Annex-B elementary stream; ' +
        'skipped: 2.000 s lost (1700000002.000 to 1700000004.000)',
    );
    // Read as H.264, some HEVC NAL unit has the header of a parameter set that cannot be parsed.
    expect(result.damaged[1]!.message).toMatch(/^4\.h264 at byte \d+: .+; skipped: 2\.000 s lost/);
    expect(result.warnings).toEqual([
      { code: EsWarningCode.SegmentSkipped, message: result.damaged[0]!.message, count: 2, source: '2.h264' },
    ]);
    expect(await presented(file)).toEqual([...slots(0, 50), ...slots(6, 50)]);
    await expectCleanDecode(file);
  });

  it('HEVC: random bytes and an H.264 segment are skipped', async () => {
    const segments = [
      good('0.h265', 0, 'hevc'),
      { name: '2.h265', startTime: ORIGIN + 2, source: randomBytes(5000) },
      { name: '4.h265', startTime: ORIGIN + 4, source: streams.h264! },
      good('6.h265', 6, 'hevc'),
    ];
    const { file, result } = await writeOut(
      muxSegments(segments, { origin: ORIGIN, codec: 'hevc' }),
      'skipped.hevc.ts',
    );
    expect(result.damaged.map((d) => [d.source, d.reason, d.start, d.end])).toEqual([
      ['2.h265', 'undecodable', ORIGIN + 2, ORIGIN + 4],
      ['4.h265', 'undecodable', ORIGIN + 4, ORIGIN + 6],
    ]);
    expect(result.warnings.map((w) => [w.code, w.count, w.source])).toEqual([
      [EsWarningCode.SegmentSkipped, 2, '2.h265'],
    ]);
    expect(await presented(file)).toEqual([...slots(0, 50), ...slots(6, 50)]);
    await expectCleanDecode(file);
  });

  it('H.264 with 4 slices per picture, cut inside the second slice of picture 30: cut before that picture', async () => {
    const unit = await accessUnit('h264-slices', 'h264', 30);
    expect(unit.slices).toHaveLength(4);
    const second = unit.slices[1]!;
    const cutAt = second.offset + Math.floor(second.length / 2);
    const segments = [
      { name: '0.h264', startTime: ORIGIN, source: streams['h264-slices']!.subarray(0, cutAt) },
      good('2.h264', 2, 'h264-slices'),
    ];
    const { file, result } = await writeOut(muxSegments(segments, { origin: ORIGIN }), 'slices.ts');
    expect(result.segments.map((s) => s.frames)).toEqual([30, 50]);
    expect(result.damaged).toEqual([
      {
        source: '0.h264',
        reason: 'truncated',
        // From the end of the 30 pictures written to where the next segment starts.
        start: ORIGIN + 1.2,
        end: ORIGIN + 2,
        offset: unit.slices[0]!.offset,
        droppedFrames: 1,
        message:
          `0.h264 at byte ${unit.slices[0]!.offset}: the input ends inside a picture: it has 2 of the 4 slices ` +
          'every other picture has; cut there (1 picture dropped): 0.800 s lost (1700000001.200 to 1700000002.000)',
      },
    ]);
    expect(result.warnings.map((w) => [w.code, w.count, w.source])).toEqual([
      [EsWarningCode.SegmentCut, 1, '0.h264'],
    ]);
    expect(await presented(file)).toEqual([...slots(0, 30), ...slots(2, 50)]);
    await expectCleanDecode(file);
  });

  it('H.264 cut inside the slice header of picture 30', async () => {
    const unit = await accessUnit('h264', 'h264', 30);
    const slice = unit.slices[0]!;
    // The NAL header and one byte of the header: first_mb_in_slice and no more.
    const segments = [
      { name: '0.h264', startTime: ORIGIN, source: streams.h264!.subarray(0, slice.offset + 2) },
      good('2.h264', 2),
    ];
    const { file, result } = await writeOut(muxSegments(segments, { origin: ORIGIN }), 'header.ts');
    expect(result.segments.map((s) => s.frames)).toEqual([30, 50]);
    expect(result.damaged.map((d) => [d.reason, d.start, d.end, d.offset, d.droppedFrames])).toEqual([
      ['truncated', ORIGIN + 1.2, ORIGIN + 2, slice.offset, 1],
    ]);
    expect(await presented(file)).toEqual([...slots(0, 30), ...slots(2, 50)]);
    await expectCleanDecode(file);
  });

  it('H.264 cut inside the SPS the second GOP starts with: no picture is cut, the rest of the time is lost', async () => {
    const unit = await accessUnit('h264-headers', 'h264', 25);
    const sps = splitAnnexB(streams['h264-headers']!, 'h264').find(
      (nal) => nal.type === 7 && nal.bytes.byteOffset - streams['h264-headers']!.byteOffset >= unit.start,
    )!;
    const spsAt = sps.bytes.byteOffset - streams['h264-headers']!.byteOffset;
    const segments = [
      { name: '0.h264', startTime: ORIGIN, source: streams['h264-headers']!.subarray(0, spsAt + 3) },
      good('2.h264', 2, 'h264-headers'),
    ];
    const { file, result } = await writeOut(muxSegments(segments, { origin: ORIGIN }), 'sps.ts');
    expect(result.segments.map((s) => s.frames)).toEqual([25, 50]);
    expect(
      result.damaged.map((d) => [d.reason, d.start, d.end, d.offset, d.droppedFrames, d.message]),
    ).toEqual([
      [
        'truncated',
        ORIGIN + 1,
        ORIGIN + 2,
        spsAt,
        0,
        `0.h264 at byte ${spsAt}: the input ends inside an SPS; cut there: 1.000 s lost (1700000001.000 to 1700000002.000)`,
      ],
    ]);
    expect(await presented(file)).toEqual([...slots(0, 25), ...slots(2, 50)]);
    await expectCleanDecode(file);
  });

  it('H.264 with an SPS that cannot be parsed mid-segment: cut there, the pictures before it kept', async () => {
    const bytes = streams['h264-headers']!.slice();
    const unit = await accessUnit('h264-headers', 'h264', 25);
    const sps = splitAnnexB(bytes, 'h264').find(
      (nal) => nal.type === 7 && nal.bytes.byteOffset - bytes.byteOffset >= unit.start,
    )!;
    const spsAt = sps.bytes.byteOffset - bytes.byteOffset;
    // profile_idc, constraint flags and level_idc stay; seq_parameter_set_id becomes 00 00 03 00 00 03...,
    // zero bits (once unescaped) that no Exp-Golomb code of 32 bits or less can be.
    for (let i = spsAt + 4; i < spsAt + 13; i += 3) bytes.set([0, 0, 3], i);
    const segments = [
      { name: '0.h264', startTime: ORIGIN, source: bytes },
      good('2.h264', 2, 'h264-headers'),
    ];
    const { file, result } = await writeOut(muxSegments(segments, { origin: ORIGIN }), 'invalid.ts');
    expect(result.segments.map((s) => s.frames)).toEqual([25, 50]);
    // The reader gives up 33 zero bits into seq_parameter_set_id (RBSP bytes: the 03s are not counted).
    const failedAt = spsAt + 8;
    expect(result.damaged.map((d) => [d.reason, d.start, d.end, d.offset])).toEqual([
      ['invalid', ORIGIN + 1, ORIGIN + 2, failedAt],
    ]);
    expect(result.damaged[0]!.message).toBe(
      `0.h264 at byte ${failedAt}: SPS seq_parameter_set_id: Exp-Golomb code longer than 32 bits; ` +
        'cut there (the rest of the segment unused): 1.000 s lost (1700000001.000 to 1700000002.000)',
    );
    expect(await presented(file)).toEqual([...slots(0, 25), ...slots(2, 50)]);
    await expectCleanDecode(file);
  });

  it('HEVC (wavefronts) cut inside a substream of picture 30: its entry points show it, the picture is cut', async () => {
    const unit = await accessUnit('hevc', 'hevc', 30);
    expect(unit.slices).toHaveLength(1);
    const slice = unit.slices[0]!;
    const segments = [
      {
        name: '0.h265',
        startTime: ORIGIN,
        source: streams.hevc!.subarray(0, slice.offset + Math.floor(slice.length * 0.4)),
      },
      good('2.h265', 2, 'hevc'),
    ];
    const { file, result } = await writeOut(
      muxSegments(segments, { origin: ORIGIN, codec: 'hevc' }),
      'wpp.ts',
    );
    expect(result.segments.map((s) => s.frames)).toEqual([30, 50]);
    expect(result.damaged.map((d) => [d.reason, d.start, d.end, d.offset, d.droppedFrames])).toEqual([
      ['truncated', ORIGIN + 1.2, ORIGIN + 2, slice.offset, 1],
    ]);
    expect(result.damaged[0]!.message).toMatch(
      /^0\.h265 at byte \d+: the input ends inside a slice segment: its header says its first 5 substreams take \d+ bytes, the NAL unit has \d+; cut there \(1 picture dropped\)/,
    );
    expect(await presented(file)).toEqual([...slots(0, 30), ...slots(2, 50)]);
    await expectCleanDecode(file);
  });

  it('an empty segment is listed too; after the last segment the loss runs to keep.end, within keep', async () => {
    const unit = await accessUnit('h264-slices', 'h264', 40);
    const segments = [
      { name: '0.h264', startTime: ORIGIN, source: new Uint8Array(0) },
      good('2.h264', 2, 'h264-slices'),
      {
        name: '4.h264',
        startTime: ORIGIN + 4,
        source: streams['h264-slices']!.subarray(0, unit.slices[2]!.offset),
      },
    ];
    const keep = { start: ORIGIN + 1, end: ORIGIN + 5.5 };
    const { file, result } = await writeOut(muxSegments(segments, { origin: ORIGIN, keep }), 'keep.ts');
    expect(result.damaged.map((d) => [d.source, d.reason, d.start, d.end])).toEqual([
      // From keep.start (the segment's own start is before it) to the next segment's start.
      ['0.h264', 'empty', ORIGIN + 1, ORIGIN + 2],
      // From its 40 pictures' end (4 + 1.6 s) past keep.end: nothing of the window lost.
      ['4.h264', 'truncated', ORIGIN + 5.5, ORIGIN + 5.5],
    ]);
    expect(result.warnings.map((w) => [w.code, w.message])).toEqual([
      [
        EsWarningCode.EmptySegment,
        '0.h264 is empty (0 bytes); skipped: 1.000 s lost (1700000001.000 to 1700000002.000)',
      ],
      [EsWarningCode.SegmentCut, expect.stringContaining('0.000 s lost (1700000005.500 to 1700000005.500)')],
    ]);
    await expectCleanDecode(file);

    // The same segment 4 cut before its 20th picture: its loss starts in the window and runs to keep.end.
    const early = await accessUnit('h264-slices', 'h264', 20);
    segments[2] = { ...segments[2]!, source: streams['h264-slices']!.subarray(0, early.slices[2]!.offset) };
    const cut = await writeOut(muxSegments(segments, { origin: ORIGIN, keep }), 'keep2.ts');
    expect(cut.result.damaged.at(-1)).toMatchObject({
      start: ORIGIN + 4.8,
      end: ORIGIN + 5.5,
      droppedFrames: 1,
    });
    // Without keep, only the picture known to be lost.
    const open = await writeOut(muxSegments(segments, { origin: ORIGIN }), 'nokeep.ts');
    expect(open.result.damaged.at(-1)).toMatchObject({ start: ORIGIN + 4.8, end: ORIGIN + 4.84 });
  });

  it('when no segment has a decodable picture the output fails, naming the first', async () => {
    const segments = [
      { name: 'a.h264', startTime: ORIGIN, source: randomBytes(1000) },
      { name: 'b.h264', startTime: ORIGIN + 2, source: new Uint8Array(0) },
    ];
    await expect(writeOut(muxSegments(segments, { origin: ORIGIN }), 'none.ts')).rejects.toMatchObject({
      name: 'EsParseError',
      code: 'ES_INVALID_STREAM',
      source: 'a.h264',
      offset: 0,
      message:
        'a.h264 at byte 0 (0x0): none of the 2 segments has a decodable picture; this one: no start code (00 00 01) in the input',
    });
    // One input: its own error, as before.
    await expect(
      writeOut(muxElementaryStream([randomBytes(1000)], { source: 'x.h264' }), 'one.ts'),
    ).rejects.toMatchObject({
      code: 'ES_INVALID_STREAM',
      message: 'x.h264 at byte 0 (0x0): no start code (00 00 01) in the input',
    });
  });
});

describe('strict: a damaged segment fails the output, naming it and the byte offset', () => {
  const cases: [string, () => Promise<Uint8Array>, Record<string, unknown>][] = [
    ['an empty segment', async () => new Uint8Array(0), { code: 'ES_TRUNCATED', offset: 0 }],
    ['random bytes', async () => randomBytes(1000), { code: 'ES_INVALID_STREAM', offset: 0 }],
    [
      'a picture missing slices',
      async () =>
        streams['h264-slices']!.subarray(0, (await accessUnit('h264-slices', 'h264', 30)).slices[2]!.offset),
      { code: 'ES_TRUNCATED' },
    ],
  ];
  for (const [what, bytes, error] of cases) {
    it(what, async () => {
      const source = await bytes();
      const segments = [good('0.h264', 0), { name: '2.h264', startTime: ORIGIN + 2, source }];
      await expect(
        writeOut(muxSegments(segments, { origin: ORIGIN, strict: true }), 'strict.ts'),
      ).rejects.toMatchObject({ name: 'EsParseError', source: '2.h264', ...error });
    });
  }

  it('the offset of a picture cut short is where it starts; muxElementaryStream takes `strict` too', async () => {
    const unit = await accessUnit('h264-slices', 'h264', 30);
    const source = streams['h264-slices']!.subarray(0, unit.slices[2]!.offset);
    const error = await writeOut(
      muxElementaryStream([source], { source: 'cam.h264', strict: true }),
      's.ts',
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ES_TRUNCATED',
      offset: unit.slices[0]!.offset,
      message: `cam.h264 at byte ${unit.slices[0]!.offset} (0x${unit.slices[0]!.offset.toString(16)}): the input ends inside a picture: it has 2 of the 4 slices every other picture has`,
    });
  });
});

describe('a damage found by the caller (`damagedFrom`: a decoder could not decode the last picture)', () => {
  const what = 'a decoder cannot decode its last picture whole';

  it('the segment is cut at that picture, warned about and listed like one that ends inside it', async () => {
    const last = findLastPicture(streams.h264!, 'h264')!;
    const segments: EsSegment[] = [
      { ...good('0.h264', 0), damagedFrom: { offset: last.offset, what } },
      good('2.h264', 2),
    ];
    const { file, result } = await writeOut(muxSegments(segments, { origin: ORIGIN }), 'decoder.ts');
    expect(result.segments.map((s) => s.frames)).toEqual([49, 50]);
    expect(result.damaged).toEqual([
      {
        source: '0.h264',
        reason: 'truncated',
        start: ORIGIN + 1.96,
        end: ORIGIN + 2,
        offset: last.offset,
        droppedFrames: 1,
        message: `0.h264 at byte ${last.offset}: ${what}; cut there (1 picture dropped): 0.040 s lost (1700000001.960 to 1700000002.000)`,
      },
    ]);
    expect(result.warnings.map((w) => [w.code, w.count, w.source])).toEqual([
      [EsWarningCode.SegmentCut, 1, '0.h264'],
    ]);
    // The last picture in decoding order is a B-frame presented before the P-frame sent ahead of it.
    expect((await presented(file)).length).toBe(99);
    await expectCleanDecode(file);
  });

  it('a segment read in chunks is cut at the same byte; with `strict` it fails there', async () => {
    const last = findLastPicture(streams.h264!, 'h264')!;
    const chunks = function* () {
      for (let at = 0; at < streams.h264!.length; at += 4096) yield streams.h264!.subarray(at, at + 4096);
    };
    const segments: EsSegment[] = [
      { name: '0.h264', startTime: ORIGIN, source: chunks, damagedFrom: { offset: last.offset, what } },
    ];
    const { result } = await writeOut(muxSegments(segments, { origin: ORIGIN }), 'chunks.ts');
    expect(result.segments[0]!.frames).toBe(49);
    expect(result.damaged.map((d) => [d.reason, d.offset])).toEqual([['truncated', last.offset]]);
    await expect(
      writeOut(muxSegments(segments, { origin: ORIGIN, strict: true }), 'strict-decoder.ts'),
    ).rejects.toMatchObject({
      name: 'EsParseError',
      code: 'ES_TRUNCATED',
      source: '0.h264',
      offset: last.offset,
      message: `0.h264 at byte ${last.offset} (0x${last.offset.toString(16)}): ${what}`,
    });
  });

  it('damaged from byte 0: the segment is skipped', async () => {
    const segments: EsSegment[] = [
      good('0.h264', 0),
      { ...good('2.h264', 2), damagedFrom: { offset: 0, what } },
      good('4.h264', 4),
    ];
    const { result } = await writeOut(muxSegments(segments, { origin: ORIGIN }), 'zero.ts');
    expect(result.segments.map((s) => s.frames)).toEqual([50, 0, 50]);
    expect(result.damaged.map((d) => [d.source, d.reason, d.start, d.end])).toEqual([
      ['2.h264', 'undecodable', ORIGIN + 2, ORIGIN + 4],
    ]);
  });
});
