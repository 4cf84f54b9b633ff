import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ffmpegDecodeWarnings,
  makeTempDir,
  type ProbePacket,
  probeFrames,
  probePackets,
  type TempDir,
  testVideoEncoder,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EsWarningCode } from '../src/index.js';
import { DEFAULT_SCENECUT } from './helpers/encoderDefaults.js';
import { esPackets, makeTruth, muxFile } from './helpers/truth.js';

let tmp: TempDir;
let withTiming: { ts: string; es: string };
let noTiming: { ts: string; es: string };

/** libx265 (`fast`), 4 B-frames, GOPs of 25 open as x265 makes them by default, its scene cuts. */
const x265 = (params: string[] = []) =>
  testVideoEncoder({
    codec: 'hevc',
    preset: 'fast',
    gop: 25,
    bframes: 4,
    openGop: true,
    params: [DEFAULT_SCENECUT, ...params],
  });

beforeAll(async () => {
  tmp = await makeTempDir('es-ts-hevc-');
  // x265 defaults to open GOPs: every keyframe after the first is a CRA with RASL pictures.
  [withTiming, noTiming] = await Promise.all([
    makeTruth(tmp.path, 'hevc', {
      codec: 'hevc',
      seconds: 4,
      encoder: x265(),
    }),
    // vui-timing-info=0 leaves out both the VUI and the VPS timing info.
    makeTruth(tmp.path, 'hevc-notiming', {
      codec: 'hevc',
      seconds: 2,
      encoder: x265(['vui-timing-info=0']),
    }),
  ]);
});
afterAll(async () => {
  await tmp?.remove();
});

const pairs = (packets: readonly ProbePacket[], offset = 0): [number, number][] =>
  packets.map((p) => [p.pts! + offset, p.dts! + offset]);

async function expectFramesOneApart(out: string, count: number): Promise<void> {
  expect(await ffmpegDecodeWarnings(out)).toBe('');
  const frames = await probeFrames(out);
  expect(frames).toHaveLength(count);
  expect([...new Set(frames.slice(1).map((f, i) => f.pts! - frames[i]!.pts!))]).toEqual([3600]);
  expect(frames[0]!.pts).toBe(126_000);
}

describe('muxElementaryStream, HEVC against libx265 truth', () => {
  it('4 B-frames: every PTS/DTS equals the encoder', async () => {
    const out = join(tmp.path, 'hevc.ours.ts');
    const result = await muxFile(withTiming.es, out, { codec: 'hevc', chunkSize: 1000 });
    const truth = await probePackets(withTiming.ts, 'v:0');
    const ours = await probePackets(out, 'v:0');
    expect(ours).toHaveLength(100);
    expect(pairs(ours, truth[0]!.dts! - ours[0]!.dts!)).toEqual(pairs(truth));
    expect(result.warnings).toEqual([]);
    expect(result.keyframes).toBe(4);
    await expectFramesOneApart(out, 100);
  });

  it('a frameRate option that contradicts the VUI is ignored, with a warning', async () => {
    const out = join(tmp.path, 'hevc-30.ours.ts');
    const result = await muxFile(withTiming.es, out, { codec: 'hevc', frameRate: 30 });
    expect(result.frameDuration).toBe(3600);
    expect(result.warnings.map((w) => w.code)).toEqual([EsWarningCode.FrameRateOptionIgnored]);
  });

  it('no VUI timing: the frameRate option is used, with a warning', async () => {
    const out = join(tmp.path, 'notiming.ours.ts');
    const result = await muxFile(noTiming.es, out, { codec: 'hevc', frameRate: 25 });
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: EsWarningCode.FrameRateFromOption, count: 1 }),
    ]);
    const truth = await probePackets(noTiming.ts, 'v:0');
    const ours = await probePackets(out, 'v:0');
    expect(pairs(ours, truth[0]!.dts! - ours[0]!.dts!)).toEqual(pairs(truth));
    await expectFramesOneApart(out, 50);
  });

  it('no VUI timing and no frameRate: 25 fps, with a warning', async () => {
    const out = join(tmp.path, 'notiming-default.ours.ts');
    const result = await muxFile(noTiming.es, out, { codec: 'hevc' });
    expect(result.warnings.map((w) => w.code)).toEqual([EsWarningCode.DefaultFrameRate]);
    expect(result.frameDuration).toBe(3600);
    expect(result.durationSeconds).toBe(2);
  });

  it('starting at a CRA: its RASL pictures are dropped and counted', async () => {
    const units = await esPackets(withTiming.es, 'hevc');
    const cra = units.findIndex((u, i) => i > 0 && u.key);
    expect(cra).toBeGreaterThan(0);
    const data = await readFile(withTiming.es);
    const out = join(tmp.path, 'cra.ours.ts');
    const result = await muxFile(data.subarray(units[cra]!.pos), out, { codec: 'hevc' });
    const truthAll = await probePackets(withTiming.ts, 'v:0');
    const start = truthAll[cra]!;
    const truth = truthAll.slice(cra).filter((p) => p.pts! >= start.pts!);
    const rasl = truthAll.length - cra - truth.length;
    expect(rasl).toBeGreaterThan(0);
    expect(result.droppedLeadingFrames).toBe(rasl);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: EsWarningCode.UndecodableLeadingDropped, count: rasl }),
    ]);
    const ours = await probePackets(out, 'v:0');
    const offset = start.pts! - ours[0]!.pts!;
    expect(ours.map((p) => p.pts! + offset)).toEqual(truth.map((p) => p.pts!));
    await expectFramesOneApart(out, truth.length);
  });
});
