import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ffmpegDecodeWarnings,
  ffprobeJson,
  makeTempDir,
  type ProbePacket,
  probeFrames,
  probePackets,
  runFfmpeg,
  type TempDir,
  type TestVideoOptions,
  testVideoEncoder,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BitReader } from '../src/bitstream/BitReader.js';
import { parseH264Sps } from '../src/bitstream/h264/parseH264Sps.js';
import { unescapeRbsp } from '../src/bitstream/unescapeRbsp.js';
import { type EsMuxResult, EsWarningCode } from '../src/index.js';
import { DEFAULT_KEYINT, DEFAULT_SCENECUT, MIN_KEYINT_AUTO } from './helpers/encoderDefaults.js';
import { stripH264VuiTiming } from './helpers/stripH264Timing.js';
import { esPackets, makeTruth, muxFile } from './helpers/truth.js';
import { splitAnnexB } from './ts/fixtures.js';

// Truth: libx264 encodes straight into TS through ffmpeg, which stamps every
// packet with the encoder's own PTS/DTS. We get only the elementary stream
// (AUDs removed, as a camera writes it) and must find the same timestamps.

let tmp: TempDir;
beforeAll(async () => {
  tmp = await makeTempDir('es-ts-h264-');
});
afterAll(async () => {
  await tmp?.remove();
});

/** libx264 (`veryfast`) with its own keyframe placement: one IDR in these 3 s of testsrc2. */
const x264 = (options: TestVideoOptions = {}) =>
  testVideoEncoder({
    gop: DEFAULT_KEYINT,
    ...options,
    params: [MIN_KEYINT_AUTO, DEFAULT_SCENECUT, ...(options.params ?? [])],
  });

/** The (pts, dts) list of `ours` shifted by one constant so its first packet lines up with `truth[0]`. */
function aligned(ours: readonly ProbePacket[], truth: readonly ProbePacket[]): [number, number][] {
  const offset = truth[0]!.dts! - ours[0]!.dts!;
  return ours.map((p) => [p.pts! + offset, p.dts! + offset]);
}
const pairs = (packets: readonly ProbePacket[]): [number, number][] => packets.map((p) => [p.pts!, p.dts!]);

/** What every case must satisfy: decodes without a warning, decoded frames exactly one frame apart, first PTS at 1.4 s. */
async function expectCleanOutput(out: string, result: EsMuxResult, frameDuration = 3600): Promise<void> {
  expect(await ffmpegDecodeWarnings(out)).toBe('');
  const frames = await probeFrames(out);
  expect(frames).toHaveLength(result.frames);
  const steps = new Set(frames.slice(1).map((f, i) => f.pts! - frames[i]!.pts!));
  expect([...steps]).toEqual([frameDuration]);
  expect(frames[0]!.pts).toBe(126_000);
  expect(result.firstPts).toBe(126_000);
  expect([result.origin, result.basePts]).toEqual([1.4, 126_000]);
  expect(result.frameDuration).toBe(frameDuration);
  const packets = await probePackets(out, 'v:0');
  for (const p of packets) expect(p.pts!).toBeGreaterThanOrEqual(p.dts!);
}

describe('muxElementaryStream, H.264 against libx264 truth', () => {
  const cases: { name: string; encoder: string[]; reorder: number }[] = [
    { name: 'no B-frames', encoder: x264(), reorder: 0 },
    {
      name: '3 B-frames with B-pyramid',
      encoder: x264({ bframes: 3 }), // b-pyramid normal from 2 B-frames up
      reorder: 2,
    },
    { name: '4 slices per picture', encoder: x264({ bframes: 3, slices: 4 }), reorder: 2 },
    {
      name: 'MBAFF interlaced (tff)',
      encoder: [...x264({ bframes: 2, params: ['tff=1'] }), '-flags', '+ildct+ilme'],
      reorder: 2,
    },
    {
      name: 'High 10',
      encoder: [...x264({ bframes: 3 }), '-pix_fmt', 'yuv420p10le', '-profile:v', 'high10'],
      reorder: 2,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: every PTS/DTS equals the encoder's`, async () => {
      const slug = c.name.replace(/\W+/g, '-');
      const { ts, es } = await makeTruth(tmp.path, slug, { codec: 'h264', encoder: c.encoder });
      const out = join(tmp.path, `${slug}.ours.ts`);
      // Small chunks: NAL units and start codes straddle chunk boundaries.
      const result = await muxFile(es, out, { chunkSize: 4093 });
      const truth = await probePackets(ts, 'v:0');
      const ours = await probePackets(out, 'v:0');
      expect(ours).toHaveLength(truth.length);
      expect(aligned(ours, truth)).toEqual(pairs(truth));
      // The first decoded frame's DTS sits `reorder` frames before the first PTS.
      expect(ours[0]!.dts).toBe(126_000 - c.reorder * 3600);
      expect(result.frames).toBe(75);
      expect(result.warnings).toEqual([]);
      expect(result.durationSeconds).toBe(3);
      await expectCleanOutput(out, result);
    });
  }

  it('with access unit delimiters (as many cameras write): same timestamps, AUDs kept once', async () => {
    const ts = join(tmp.path, '3-B-frames-with-B-pyramid.ts');
    const es = join(tmp.path, 'with-aud.h264');
    await runFfmpeg(['-v', 'error', '-i', ts, '-c', 'copy', '-f', 'h264', es]);
    const out = join(tmp.path, 'with-aud.ours.ts');
    const result = await muxFile(es, out);
    const truth = await probePackets(ts, 'v:0');
    const ours = await probePackets(out, 'v:0');
    expect(aligned(ours, truth)).toEqual(pairs(truth));
    // One AUD per access unit: the stream's own, none added.
    const back = join(tmp.path, 'with-aud.back.h264');
    await runFfmpeg(['-v', 'error', '-i', out, '-c', 'copy', '-f', 'h264', back]);
    const bytes = await readFile(back);
    let auds = 0;
    for (let i = bytes.indexOf(1); i >= 0; i = bytes.indexOf(1, i + 1)) {
      if (bytes[i - 1] === 0 && bytes[i - 2] === 0 && (bytes[i + 1]! & 0x1f) === 9) auds++;
    }
    expect(auds).toBe(75);
    await expectCleanOutput(out, result);
  });

  it('MBAFF stays interlaced (field_order tt) through our TS', async () => {
    const out = join(tmp.path, 'MBAFF-interlaced-tff-.ours.ts');
    const { streams } = await ffprobeJson<{ streams: { field_order?: string }[] }>(out, [
      '-show_entries',
      'stream=field_order',
      '-select_streams',
      'v:0',
    ]);
    expect(streams[0]?.field_order).toBe('tt');
  });

  it('High 10 keeps its profile', async () => {
    const out = join(tmp.path, 'High-10.ours.ts');
    const { streams } = await ffprobeJson<{ streams: { profile?: string; pix_fmt?: string }[] }>(out, [
      '-show_entries',
      'stream=profile,pix_fmt',
      '-select_streams',
      'v:0',
    ]);
    expect(streams[0]).toEqual({ profile: 'High 10', pix_fmt: 'yuv420p10le' });
  });

  describe('no VUI timing (libx264 always writes it: the SPS is rewritten without it)', () => {
    // 30 fps, so that the 25 fps assumed without `frameRate` is visibly wrong.
    let truthTs: string;
    let stripped: string;
    beforeAll(async () => {
      const { ts, es } = await makeTruth(tmp.path, 'notiming', {
        codec: 'h264',
        fps: 30,
        encoder: testVideoEncoder({ fps: 30, bframes: 3 }),
      });
      truthTs = ts;
      stripped = join(tmp.path, 'notiming.stripped.h264');
      const original = new Uint8Array(await readFile(es));
      await writeFile(stripped, stripH264VuiTiming(original));
      // The rewritten SPS differs only in its timing.
      const sps = (bytes: Uint8Array) => {
        const nal = splitAnnexB(bytes, 'h264').find((n) => n.type === 7)!.bytes;
        const rbsp = { buffer: new Uint8Array(0) };
        const length = unescapeRbsp(nal, rbsp);
        return parseH264Sps(new BitReader(rbsp.buffer, { length, startByte: 1 }));
      };
      const before = sps(original);
      const after = sps(new Uint8Array(await readFile(stripped)));
      expect(before.timing).toEqual({ numUnitsInTick: 1, timeScale: 60, fixedFrameRate: false });
      expect(after).toEqual({ ...before, timing: undefined });
      expect(after.maxNumReorderFrames).toBe(2);
    });

    it("with `frameRate`: every PTS/DTS equals the encoder's, with a warning", async () => {
      const out = join(tmp.path, 'notiming.ours.ts');
      const result = await muxFile(stripped, out, { frameRate: 30, chunkSize: 4093 });
      expect(result.warnings).toEqual([
        {
          code: EsWarningCode.FrameRateFromOption,
          message: 'input: the stream has no VUI timing; using the `frameRate` option (30 fps)',
          count: 1,
          source: 'input',
        },
      ]);
      const truth = await probePackets(truthTs, 'v:0');
      const ours = await probePackets(out, 'v:0');
      expect(ours).toHaveLength(90);
      expect(aligned(ours, truth)).toEqual(pairs(truth));
      expect(ours[0]!.dts).toBe(126_000 - 2 * 3000);
      expect(result.durationSeconds).toBe(3);
      await expectCleanOutput(out, result, 3000);
    });

    it('without `frameRate`: 25 fps is assumed and the warning says so', async () => {
      const out = join(tmp.path, 'notiming-default.ours.ts');
      const result = await muxFile(stripped, out);
      expect(result.warnings).toEqual([
        {
          code: EsWarningCode.DefaultFrameRate,
          message: 'input: the stream has no VUI timing and no `frameRate` option was given; assuming 25 fps',
          count: 1,
          source: 'input',
        },
      ]);
      expect(result.frameDuration).toBe(3600);
      expect(result.durationSeconds).toBe(3.6); // 90 frames at 25 fps instead of 3 s at 30 fps
      await expectCleanOutput(out, result, 3600);
    });
  });

  it('a stream cut mid-GOP: pictures before the first IDR are dropped and counted', async () => {
    const { ts, es } = await makeTruth(tmp.path, 'midgop', {
      codec: 'h264',
      seconds: 4,
      encoder: testVideoEncoder({ gop: 25, bframes: 3 }),
    });
    const units = await esPackets(es, 'h264');
    expect(units.filter((u) => u.key).map((u) => units.indexOf(u))).toEqual([0, 25, 50, 75]);
    const data = await readFile(es);
    const cut = data.subarray(units[10]!.pos);
    const out = join(tmp.path, 'midgop.ours.ts');
    const result = await muxFile(cut, out);
    expect(result.droppedLeadingFrames).toBe(15);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: EsWarningCode.LeadingFramesDropped, count: 15 }),
    ]);
    const truth = (await probePackets(ts, 'v:0')).slice(25);
    const ours = await probePackets(out, 'v:0');
    expect(ours).toHaveLength(75);
    expect(aligned(ours, truth)).toEqual(pairs(truth));
    await expectCleanOutput(out, result);
  });

  it('open GOP starting at a recovery point: leading B-frames that need the previous GOP are dropped', async () => {
    const { ts, es } = await makeTruth(tmp.path, 'opengop', {
      codec: 'h264',
      seconds: 4,
      // Non-reference B-frames: with a B-pyramid the decoder would also log "mmco: unref short
      // failure" for the dropped reference B-frame (harmless, but not a clean decode).
      encoder: testVideoEncoder({ gop: 25, bframes: 3, openGop: true, params: ['b-pyramid=none'] }),
    });
    const units = await esPackets(es, 'h264');
    const second = units.findIndex((u, i) => i > 0 && u.key);
    expect(second).toBe(24); // open GOP: the I-frame comes one position earlier in decoding order
    const data = await readFile(es);
    // The cut starts at a non-IDR I-frame (nal_unit_type 1) announced by a recovery point SEI.
    const cut = data.subarray(units[second]!.pos);
    const out = join(tmp.path, 'opengop.ours.ts');
    const result = await muxFile(cut, out);
    const truthAll = await probePackets(ts, 'v:0');
    const start = truthAll[second]!;
    // Truth: every packet from the I-frame on, except those presented before it (they reference the previous GOP).
    const truth = truthAll.slice(second).filter((p) => p.pts! >= start.pts!);
    const leading = truthAll.length - second - truth.length;
    expect(leading).toBeGreaterThan(0);
    expect(result.droppedLeadingFrames).toBe(leading);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: EsWarningCode.UndecodableLeadingDropped, count: leading }),
    ]);
    const ours = await probePackets(out, 'v:0');
    expect(ours).toHaveLength(truth.length);
    const offset = start.pts! - ours[0]!.pts!;
    expect(ours.map((p) => p.pts! + offset)).toEqual(truth.map((p) => p.pts!));
    for (const p of ours) expect(p.pts!).toBeGreaterThanOrEqual(p.dts!);
    expect(ours[0]!.flags.startsWith('K')).toBe(true);
    await expectCleanOutput(out, result);
  });

  it('a truncated last NAL: that access unit is cut with a warning and listed as damage', async () => {
    const es = join(tmp.path, '3-B-frames-with-B-pyramid.h264');
    const ts = join(tmp.path, '3-B-frames-with-B-pyramid.ts');
    const data = await readFile(es);
    const units = await esPackets(es, 'h264');
    const last = units.at(-1)!;
    // Keep the last access unit's start code, its NAL header and one byte of its slice header.
    const startCode = data[last.pos + 2] === 1 ? 3 : 4;
    const cut = data.subarray(0, last.pos + startCode + 2);
    const truncated = join(tmp.path, 'truncated.h264');
    await writeFile(truncated, cut);
    const out = join(tmp.path, 'truncated.ours.ts');
    const result = await muxFile(truncated, out);
    expect(result.frames).toBe(74);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: EsWarningCode.SegmentCut, count: 1, source: 'input' }),
    ]);
    // The lost picture's slot: after the 74 written (from 1.4 s, 25 fps), one frame long.
    expect(result.damaged).toEqual([
      {
        source: 'input',
        reason: 'truncated',
        start: 4.36,
        end: 4.4,
        // Where its first NAL unit starts, after the start code.
        offset: last.pos + startCode,
        droppedFrames: 1,
        message: `input at byte ${last.pos + startCode}: the input ends inside a slice header; cut there (1 picture dropped): 0.040 s lost (4.360 to 4.400)`,
      },
    ]);
    const truthAll = await probePackets(ts, 'v:0');
    const truth = truthAll.slice(0, -1);
    const ours = await probePackets(out, 'v:0');
    const offset = truth[0]!.dts! - ours[0]!.dts!;
    // Decoding times are the encoder's; presentation slots stay consecutive, so the pictures shown
    // after the lost one move up by one frame: the first 74 presentation times of the truth.
    expect(ours.map((p) => p.dts! + offset)).toEqual(truth.map((p) => p.dts!));
    const shown = truthAll
      .map((p) => p.pts!)
      .sort((a, b) => a - b)
      .slice(0, 74);
    expect(ours.map((p) => p.pts! + offset).sort((a, b) => a - b)).toEqual(shown);
    await expectCleanOutput(out, result);
    expect(await ffmpegDecodeWarnings(out)).toBe('');
  });
});
