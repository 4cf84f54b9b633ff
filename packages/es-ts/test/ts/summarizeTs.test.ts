import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  encodeTestAudio,
  makeTempDir,
  probePackets,
  type TempDir,
  testVideoEncoder,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { muxSegments, readAdts, StreamType, summarizeTs } from '../../src/index.js';
import { TsWriter } from '../../src/ts/index.js';
import { MIN_KEYINT_AUTO } from '../helpers/encoderDefaults.js';
import { makeTruth } from '../helpers/truth.js';

let tmp: TempDir;
let file: string;
beforeAll(async () => {
  tmp = await makeTempDir('es-ts-summary-');
  const video = await makeTruth(tmp.path, 'v', {
    codec: 'h264',
    seconds: 2,
    encoder: testVideoEncoder({ gop: 50, bframes: 3, params: [MIN_KEYINT_AUTO] }),
  });
  const aac = join(tmp.path, 'a.aac');
  await encodeTestAudio(aac, { codec: 'aac', format: 'adts' });
  const output = muxSegments(
    [{ name: 'v.h264', startTime: 0, source: new Uint8Array(await readFile(video.es)) }],
    {
      origin: 0,
      audio: readAdts(new Uint8Array(await readFile(aac)), { startPts: 126_000 - 1920 }),
    },
  );
  const parts: Uint8Array[] = [];
  for await (const part of output.packets) parts.push(part);
  file = join(tmp.path, 'av.ts');
  await writeFile(file, Buffer.concat(parts));
});
afterAll(async () => {
  await tmp?.remove();
});

/** First PTS to last PTS plus the median step, from ffprobe's packets: the truth for a stream's duration. */
function probedSpan(pts: number[]): { first: number; end: number } {
  const sorted = [...pts].sort((a, b) => a - b);
  const steps = sorted.slice(1).map((p, i) => p - sorted[i]!);
  steps.sort((a, b) => a - b);
  return { first: sorted[0]!, end: sorted.at(-1)! + steps[Math.floor(steps.length / 2)]! };
}

describe('summarizeTs', () => {
  it('counts the pictures and AAC frames ffprobe sees and the time they cover', async () => {
    const summary = await summarizeTs(new Uint8Array(await readFile(file)));
    const video = (await probePackets(file, 'v:0')).map((p) => p.pts!);
    const audio = (await probePackets(file, 'a:0')).map((p) => p.pts!);
    const v = probedSpan(video);
    const a = probedSpan(audio);
    expect(summary.video).toEqual({
      pid: 0x100,
      streamType: StreamType.H264,
      codec: 'h264',
      frames: video.length,
      durationSeconds: (v.end - v.first) / 90_000,
    });
    expect(summary.video?.frames).toBe(50);
    expect(summary.video?.durationSeconds).toBe(2);
    expect(summary.audio).toEqual({
      pid: 0x101,
      streamType: StreamType.AacAdts,
      codec: 'aac',
      frames: audio.length,
      durationSeconds: (a.end - a.first) / 90_000,
    });
    expect(summary.streams).toEqual([summary.video, summary.audio]);
    // From the audio's priming frame (one frame before the first picture) to whichever ends last.
    expect(summary.durationSeconds).toBe((Math.max(v.end, a.end) - Math.min(v.first, a.first)) / 90_000);
    expect(summary.warnings).toEqual([]);
  });

  it('gives the same summary streamed in chunks of any size', async () => {
    const bytes = new Uint8Array(await readFile(file));
    const whole = await summarizeTs(bytes);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 1000) yield bytes.subarray(i, i + 1000);
    }
    expect(await summarizeTs(chunks())).toEqual(whole);
  });

  it('unwraps PTS past 2^33 (26.5 h): a recording across the wrap keeps its duration', async () => {
    const writer = new TsWriter({ codec: 'h264' });
    const start = 2 ** 33 - 10 * 3600;
    const slice = Uint8Array.of(0x65, 0x88, 0x84, 0x00, 0x21);
    const parts = Array.from({ length: 50 }, (_, i) =>
      writer.writeVideo({
        codec: 'h264',
        nals: [{ type: i === 0 ? 5 : 1, bytes: slice }],
        keyframe: i === 0,
        pts: start + i * 3600,
        dts: start + i * 3600,
        duration: 3600,
        byteOffset: 0,
      }),
    );
    const summary = await summarizeTs(parts);
    expect(summary.video).toMatchObject({ frames: 50, durationSeconds: 2 });
    expect(summary.durationSeconds).toBe(2);
    expect(summary.audio).toBeUndefined();
  });
});
