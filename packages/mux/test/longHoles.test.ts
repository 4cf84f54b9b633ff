import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { muxSegments } from '@rec/es-ts';
import {
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  probe,
  probePackets,
  runFfmpeg,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAdts, writeRecording } from '../src/index.js';
import { readMp4Summary } from './helpers/mp4Boxes.js';

/**
 * Issue 9, item 4: a video hole longer than 2^31 ticks of 90 kHz (23,861 s)
 * came out of ffmpeg's MP4 muxer as one tick, every later frame packed into
 * the same instant, reported as success. Two real 2-s H.264 segments are put
 * far apart with es-ts and written to MP4; ffprobe must see every frame at
 * its real time.
 */
const FPS = 25;
const ORIGIN = 1_700_000_000;
const DAY = 86_400;

describe('MP4 with long holes and long windows', () => {
  let dir: TempDir;
  let files: string[];

  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-holes-');
    ({ files } = await makeVideoSegments({ dir: dir.path, startEpoch: ORIGIN, count: 2, bframes: 3 }));
  }, 60_000);
  afterAll(() => dir?.remove());

  /** The two segments at `ORIGIN` and `ORIGIN + second`, muxed by es-ts, written to MP4 over `window`. */
  async function record(
    name: string,
    second: number,
    window: { start: number; end: number },
    audio?: { adts: string; offset: number },
  ) {
    const muxed = muxSegments(
      files.map((file, i) => ({
        name: file,
        startTime: i === 0 ? ORIGIN : ORIGIN + second,
        source: () => createReadStream(file) as AsyncIterable<Uint8Array>,
      })),
      { origin: window.start, keep: window },
    );
    const output = join(dir.path, name);
    const written = await writeRecording({
      video: { ts: muxed.packets, origin: window.start, basePts: 126_000, result: muxed.result },
      audio,
      window,
      output,
    });
    return { output, written };
  }

  /** Presentation times (s, exact rationals of the track timescale) of the video packets, sorted. */
  async function presentedTimes(file: string): Promise<number[]> {
    const { streams } = await probe(file);
    const timescale = Number(streams[0]?.time_base?.split('/')[1]);
    const packets = await probePackets(file, 'v:0');
    expect(packets.every((packet) => !packet.flags.includes('D'))).toBe(true);
    return packets.map((packet) => (packet.pts ?? Number.NaN) / timescale).sort((a, b) => a - b);
  }

  async function decodeErrors(file: string): Promise<string> {
    return (await runFfmpeg(['-v', 'error', '-i', file, '-f', 'null', '-'])).trim();
  }

  const expected = (second: number) => [
    ...Array.from({ length: 2 * FPS }, (_, k) => k / FPS),
    ...Array.from({ length: 2 * FPS }, (_, k) => second + k / FPS),
  ];

  it('keeps a 23,900 s hole (over 2^31 ticks of 90 kHz): the second segment at +23,900 s', async () => {
    const window = { start: ORIGIN, end: ORIGIN + 23_902 };
    const { output, written } = await record('hole.mp4', 23_900, window);
    expect(written.durationSeconds).toBeCloseTo(23_902, 3);
    const times = await presentedTimes(output);
    expect(times).toHaveLength(4 * FPS);
    for (const [k, time] of times.entries()) expect(time).toBeCloseTo(expected(23_900)[k] as number, 9);
    const summary = await readMp4Summary(output);
    const video = summary.tracks.find((track) => track.handler === 'vide');
    expect(video?.mdhdTimescale).toBe(45_000); // 90 kHz would need 2.15e9 ticks in one sample
    expect(Number((await probe(output)).format.duration)).toBeCloseTo(23_902, 2);
    expect(await decodeErrors(output)).toBe('');
  }, 60_000);

  it('keeps the hole with its audio: AAC segments at the same times, silence between', async () => {
    const window = { start: ORIGIN, end: ORIGIN + 23_902 };
    const aac = await makeAudioSegments({
      dir: join(dir.path, 'aac'),
      startEpoch: ORIGIN,
      count: 2,
      sampleRate: 8000,
      codec: 'aac',
    });
    const joined = await joinAdts({
      chunks: aac.files.map((file, i) => ({ file, startTime: i === 0 ? ORIGIN : ORIGIN + 23_900 })),
      window,
      output: join(dir.path, 'hole.aac'),
    });
    const { output, written } = await record('hole-av.mp4', 23_900, window, {
      adts: joined.output,
      offset: joined.offset,
    });
    expect(written.audioSeconds).toBeCloseTo(23_902, 1);
    const times = await presentedTimes(output);
    for (const [k, time] of times.entries()) expect(time).toBeCloseTo(expected(23_900)[k] as number, 9);
    // The beeps of the second AAC segment are where its video is: decoded audio is silent before
    // 23,900 s and loud after.
    const level = async (from: number) => {
      const stderr = await runFfmpeg([
        ...['-v', 'info', '-ss', String(from), '-t', '1', '-i', output, '-map', '0:a'],
        ...['-af', 'volumedetect', '-f', 'null', '-'],
      ]);
      const found = /max_volume: (-?[\d.]+|-inf) dB/.exec(stderr)?.[1];
      return found === '-inf' ? Number.NEGATIVE_INFINITY : Number(found ?? Number.NaN);
    };
    expect(await level(23_898.5)).toBeLessThan(-80);
    expect(await level(23_900.2)).toBeGreaterThan(-30);
    expect(await decodeErrors(output)).toBe('');
  }, 60_000);

  it('keeps a 3-day window exact: a segment at the start, one 10 s before the end', async () => {
    const window = { start: ORIGIN, end: ORIGIN + 3 * DAY };
    const second = 3 * DAY - 10; // 259,190 s: 2.7 wraps of the TS's 33-bit clock
    const { output, written } = await record('days.mp4', second, window);
    expect(written.durationSeconds).toBeCloseTo(second + 2, 3);
    const times = await presentedTimes(output);
    expect(times).toHaveLength(4 * FPS);
    for (const [k, time] of times.entries()) expect(time).toBeCloseTo(expected(second)[k] as number, 9);
    const video = (await readMp4Summary(output)).tracks.find((track) => track.handler === 'vide');
    expect(video?.mdhdTimescale).toBe(7500);
    // One sample holds the whole hole: 259,188 s and a frame, in 7500 Hz ticks.
    expect(video?.stts.some(([count, delta]) => count === 1 && delta > 259_000 * 7500)).toBe(true);
    expect(Number((await probe(output)).format.duration)).toBeCloseTo(second + 2, 2);
    expect(await decodeErrors(output)).toBe('');
  }, 60_000);

  it('drops a GOP that ends hours before the window start (ffmpeg would read it wrapped: an empty MP4)', async () => {
    // es-ts keeps the keyframe GOP before `start`: here the first segment, 29,999 s before the second.
    const window = { start: ORIGIN + 30_000, end: ORIGIN + 30_003 };
    const { output, written } = await record('before.mp4', 30_001, window);
    expect(written.durationSeconds).toBeCloseTo(3, 3);
    const times = await presentedTimes(output);
    expect(times).toHaveLength(2 * FPS);
    for (const [k, time] of times.entries()) expect(time).toBeCloseTo(1 + k / FPS, 9);
    const video = (await readMp4Summary(output)).tracks.find((track) => track.handler === 'vide');
    expect(video?.elst?.[0]).toEqual([1000, -1, 1]); // 1 s of nothing, then the second segment
    expect(await decodeErrors(output)).toBe('');
  }, 60_000);
});
