import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type EsSegment, muxSegments } from '@rec/es-ts';
import {
  ffmpegDecodeWarnings,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  probe,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAac, joinAdts, joinWav, writeRecording } from '../src/index.js';

/**
 * kill -9 leaves part files behind (issue 9, item 2): every step that writes
 * one must overwrite it on the next run. Each case plants garbage at every
 * part path the step uses, then checks the result against a clean run's
 * bytes, with ffprobe, and that no part file is left.
 */
const GARBAGE = new TextEncoder().encode('left by a killed run\n'.repeat(4000));
const ORIGIN = 5000;
const BASE_PTS = 126_000;

describe('a stale part file from a killed run', () => {
  let dir: TempDir;
  let ts: string;
  let esSegments: () => EsSegment[];
  let wavChunks: { file: string; startTime: number }[];
  let aacChunks: { file: string; startTime: number }[];
  const path = (name: string) => join(dir.path, name);
  const plant = (...names: string[]) => Promise.all(names.map((name) => writeFile(path(name), GARBAGE)));
  const leftovers = async () => (await readdir(dir.path)).filter((name) => name.includes('.part'));
  const video = () => ({
    ts: createReadStream(ts) as AsyncIterable<Uint8Array>,
    origin: ORIGIN,
    basePts: BASE_PTS,
  });
  const window = { start: ORIGIN, end: ORIGIN + 4 };

  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-stale-');
    const segments = await makeVideoSegments({ dir: path('src'), startEpoch: ORIGIN, count: 2 });
    esSegments = () =>
      segments.files.map((file, i) => ({
        name: file,
        startTime: segments.epochs[i] as number,
        source: () => createReadStream(file) as AsyncIterable<Uint8Array>,
      }));
    ts = path('video.ts');
    const muxed = muxSegments(esSegments(), { origin: ORIGIN, basePts: BASE_PTS });
    await pipeline(muxed.packets, createWriteStream(ts));
    const wav = await makeAudioSegments({
      dir: path('src'),
      startEpoch: ORIGIN,
      count: 2,
      sampleRate: 16_000,
    });
    wavChunks = wav.files.map((file, i) => ({ file, startTime: wav.epochs[i] as number }));
    const aac = await makeAudioSegments({
      dir: path('aac-src'),
      startEpoch: ORIGIN,
      count: 3,
      codec: 'aac',
      skip: [ORIGIN + 2], // a gap: the join encodes a silent frame into `<output>.part.silence.aac`
    });
    aacChunks = aac.files.map((file, i) => ({ file, startTime: aac.epochs[i] as number }));
  }, 60_000);
  afterAll(() => dir?.remove());

  it('is overwritten by joinWav', async () => {
    const clean = await joinWav({ chunks: wavChunks, window, output: path('clean.wav') });
    await plant('stale.wav.part');
    const result = await joinWav({ chunks: wavChunks, window, output: path('stale.wav') });
    expect(result.samples).toBe(clean.samples);
    expect((await readFile(path('stale.wav'))).equals(await readFile(path('clean.wav')))).toBe(true);
    expect(Number((await probe(path('stale.wav'))).format.duration)).toBeCloseTo(4, 6);
    expect(await leftovers()).toEqual([]);
  });

  it('is overwritten by joinAdts, its silence work file too', async () => {
    const window6 = { start: ORIGIN, end: ORIGIN + 6 };
    await joinAdts({ chunks: aacChunks, window: window6, output: path('clean.aac') });
    await plant('stale.aac.part', 'stale.aac.part.silence.aac');
    const result = await joinAdts({ chunks: aacChunks, window: window6, output: path('stale.aac') });
    expect(result.gaps).toHaveLength(1);
    expect((await readFile(path('stale.aac'))).equals(await readFile(path('clean.aac')))).toBe(true);
    expect((await probe(path('stale.aac'))).streams[0]?.codec_name).toBe('aac');
    expect(await leftovers()).toEqual([]);
  });

  it('is overwritten by encodeAac, the encoders’ chunk files too', async () => {
    const wav = path('long.wav');
    await joinWav({ chunks: wavChunks, window: { start: ORIGIN, end: ORIGIN + 24 }, output: wav });
    await encodeAac({ wav, output: path('clean-enc.aac'), parallelism: 2 });
    await plant('stale-enc.aac.part', 'stale-enc.aac.part.0.aac', 'stale-enc.aac.part.1.aac');
    const result = await encodeAac({ wav, output: path('stale-enc.aac'), parallelism: 2 });
    expect(result.chunks).toBe(2);
    expect((await readFile(path('stale-enc.aac'))).equals(await readFile(path('clean-enc.aac')))).toBe(true);
    expect(await leftovers()).toEqual([]);
  }, 30_000);

  it('is overwritten by the MP4 mux and by the AAC encode inside it', async () => {
    const wav = path('window.wav');
    await joinWav({ chunks: wavChunks, window, output: wav });
    await writeRecording({ video: video(), audio: { wav }, window, output: path('clean.mp4') });
    await plant(
      'stale.mp4.part',
      'stale.mp4.part.aac',
      'stale.mp4.part.aac.part',
      'stale.mp4.part.aac.part.0.aac',
    );
    const result = await writeRecording({
      video: video(),
      audio: { wav },
      window,
      output: path('stale.mp4'),
    });
    expect(result.durationSeconds).toBeCloseTo(4, 3);
    expect((await readFile(path('stale.mp4'))).equals(await readFile(path('clean.mp4')))).toBe(true);
    const { streams, format } = await probe(path('stale.mp4'));
    expect(streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(Number(format.duration)).toBeCloseTo(4, 1);
    expect(await ffmpegDecodeWarnings(path('stale.mp4'))).toBe('');
    expect(await leftovers()).toEqual([]);
  });

  it('is overwritten by every TS write: video copy, segments with audio, audio-only TS', async () => {
    const wav = path('window.wav');
    const cases = [
      { name: 'copy.ts', options: () => ({ video: video() }) },
      { name: 'av.ts', options: () => ({ video: { segments: esSegments() }, audio: { wav } }) },
      { name: 'audio.ts', options: () => ({ audio: { wav } }) },
    ];
    for (const { name, options: make } of cases) {
      await writeRecording({ ...make(), window, output: path(`clean-${name}`), format: 'ts' });
      await plant(`stale-${name}.part`);
      // The same inputs, made again: streams are read once.
      const again = make();
      await writeRecording({ ...again, window, output: path(`stale-${name}`), format: 'ts' });
      expect((await readFile(path(`stale-${name}`))).equals(await readFile(path(`clean-${name}`)))).toBe(
        true,
      );
      expect((await probe(path(`stale-${name}`))).format.format_name).toBe('mpegts');
    }
    expect(await leftovers()).toEqual([]);
  }, 30_000);
});
