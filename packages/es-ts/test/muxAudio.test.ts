import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  encodeTestAudio,
  ffmpegDecodeWarnings,
  makeTempDir,
  probe,
  type TempDir,
  testVideoEncoder,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { muxAudio, muxSegments, readAdts, readTs, StreamType } from '../src/index.js';
import { MIN_KEYINT_AUTO } from './helpers/encoderDefaults.js';
import { makeTruth } from './helpers/truth.js';

const ORIGIN = 1_700_000_000;
const BASE = 126_000;
/** One AAC frame at 48 kHz, in 90 kHz ticks. */
const FRAME = 1920;

let tmp: TempDir;
let video: Uint8Array;
let adts: Uint8Array;

beforeAll(async () => {
  tmp = await makeTempDir('es-ts-audio-');
  const truth = await makeTruth(tmp.path, 'v', {
    codec: 'h264',
    seconds: 4,
    encoder: testVideoEncoder({ gop: 50, bframes: 3, params: [MIN_KEYINT_AUTO] }),
  });
  video = new Uint8Array(await readFile(truth.es));
  const aac = join(tmp.path, 'a.aac');
  await encodeTestAudio(aac, { seconds: 4, codec: 'aac', format: 'adts' });
  adts = new Uint8Array(await readFile(aac));
}, 60_000);
afterAll(async () => {
  await tmp?.remove();
});

async function collect(packets: AsyncIterable<Uint8Array>, file: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of packets) parts.push(part.slice());
  const bytes = Buffer.concat(parts);
  await writeFile(file, bytes);
  return new Uint8Array(bytes);
}

describe('muxSegments with audio', () => {
  it('carries the AAC frames on a second PID, each before the first picture decoded after it', async () => {
    // The encoder's priming frame one frame before the video's first picture.
    const startPts = BASE - FRAME;
    const out = muxSegments([{ name: 'v.h264', startTime: ORIGIN, source: video }], {
      origin: ORIGIN,
      basePts: BASE,
      audio: readAdts(adts, { startPts }),
    });
    const file = join(tmp.path, 'av.ts');
    const bytes = await collect(out.packets, file);
    const result = await out.result;
    const frames = [];
    for await (const frame of readAdts(adts)) frames.push(frame);
    expect(result.audioFrames).toBe(frames.length);

    const ts = await readTs(bytes);
    expect(ts.continuityErrors).toEqual([]);
    expect(ts.streams.map((stream) => stream.streamType)).toEqual([StreamType.H264, StreamType.AacAdts]);
    const audioPid = ts.streams[1]?.pid;
    const audio = ts.pes.filter((pes) => pes.pid === audioPid);
    // Every frame, exactly 1024 samples apart from the given start.
    expect(audio.map((pes) => pes.pts)).toEqual(frames.map((_, i) => startPts + i * FRAME));
    // Interleaved by time: no audio frame comes after a picture decoded later than it is presented.
    let lastVideoDts = Number.NEGATIVE_INFINITY;
    for (const pes of ts.pes) {
      if (pes.pid === audioPid) expect(pes.pts).toBeGreaterThanOrEqual(lastVideoDts);
      else lastVideoDts = pes.dts ?? Number.NaN;
    }
    expect(await ffmpegDecodeWarnings(file)).toBe('');
    const probed = await probe(file);
    const [v, a] = [probed.streams[0], probed.streams[1]];
    expect(a?.codec_name).toBe('aac');
    // ffprobe reports stream start times in seconds of the TS clock.
    expect(Number(a?.start_time) * 90_000).toBeCloseTo(startPts, 0);
    expect(Number(v?.start_time) * 90_000).toBeCloseTo(BASE, 0);
  }, 60_000);
});

describe('muxAudio', () => {
  it('writes an audio-only TS with the PCR on the audio PID that ffmpeg decodes cleanly', async () => {
    const file = join(tmp.path, 'a.ts');
    const bytes = await collect(muxAudio(readAdts(adts, { startPts: BASE })), file);
    const ts = await readTs(bytes);
    expect(ts.streams).toEqual([expect.objectContaining({ pid: 0x101, streamType: StreamType.AacAdts })]);
    expect(ts.pcrs.length).toBeGreaterThan(0);
    expect(new Set(ts.pcrs.map((pcr) => pcr.pid))).toEqual(new Set([0x101]));
    const frames = ts.pes.length;
    expect(frames).toBeGreaterThan(180);
    expect(ts.pes.at(-1)?.pts).toBe(BASE + (frames - 1) * FRAME);
    expect(await ffmpegDecodeWarnings(file)).toBe('');
  });
});
