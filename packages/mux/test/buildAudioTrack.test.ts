import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeAudioSegments, makeTempDir, probe, probeFrames, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AudioTrackChunk,
  buildAudioTrack,
  encodeAac,
  joinAdts,
  planWavJoin,
  writeRecording,
} from '../src/index.js';

const RATE = 48_000;

describe('buildAudioTrack', () => {
  let dir: TempDir;
  let wavChunks: AudioTrackChunk[];
  let aacChunks: AudioTrackChunk[];
  const path = (name: string) => join(dir.path, name);
  const window = { start: 1000.5, end: 1007.5 };

  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-track-');
    // 1000, 1002 (zero bytes below), 1006: 1004 is missing.
    const wav = await makeAudioSegments({ dir: path('wav'), startEpoch: 1000, count: 4, skip: [1004] });
    await writeFile(wav.files[1] as string, new Uint8Array(0));
    wavChunks = wav.files.map((file, i) => ({
      file,
      startTime: wav.epochs[i] as number,
      name: `cam1/00/audio/${wav.epochs[i]}.wav`,
      codec: 'pcm',
    }));
    const aac = await makeAudioSegments({
      dir: path('aac'),
      startEpoch: 1000,
      count: 4,
      codec: 'aac',
      skip: [1004],
    });
    aacChunks = aac.files.map((file, i) => ({
      file,
      startTime: aac.epochs[i] as number,
      name: `cam1/00/audio/${aac.epochs[i]}.aac`,
      codec: 'aac',
    }));
  });
  afterAll(() => dir.remove());

  it('encodes WAV chunks joined on the fly: the AAC planWavJoin + encodeAac make, gaps and damage reported', async () => {
    const phases = new Set<string>();
    const track = await buildAudioTrack({
      chunks: wavChunks,
      window,
      output: path('track.aac'),
      onProgress: (p) => phases.add(p.phase),
    });
    expect(track.codec).toBe('pcm');
    expect(track.aac).toEqual({ adts: path('track.aac'), offset: -1024 / RATE });
    expect(track.durationSeconds).toBe(7);
    expect(track.gaps).toEqual([{ at: 1002, seconds: 4, frames: 4 * RATE }]); // the empty one and the missing one
    expect(track.silenceSeconds).toBe(4);
    expect(track.damaged).toMatchObject([
      { source: 'cam1/00/audio/1002.wav', reason: 'empty', start: 1002, end: 1006 },
    ]);
    expect(track.warnings.map((w) => [w.code, w.source])).toEqual([
      ['CHUNK_EMPTY', 'cam1/00/audio/1002.wav'],
    ]);
    expect(track.encode).toMatchObject({ sampleRate: RATE, channels: 1, samples: 7 * RATE });
    expect(track.seconds.encode).toBeGreaterThan(0);
    expect(track.seconds.join).toBeGreaterThanOrEqual(0);
    expect([...phases]).toEqual(['encode']);

    // What the recorder did before: the same bytes.
    const joined = await planWavJoin({ chunks: wavChunks, window });
    await encodeAac({ wav: joined, output: path('direct.aac') });
    expect((await readFile(path('track.aac'))).equals(await readFile(path('direct.aac')))).toBe(true);

    // Stream-copied into an MP4, it presents the window.
    const mp4 = path('track.mp4');
    await writeRecording({ audio: track.aac, window, output: mp4 });
    const { streams, format } = await probe(mp4);
    expect(streams.map((s) => [s.codec_name, s.sample_rate])).toEqual([['aac', '48000']]);
    expect(Math.abs(Number(format.duration) - 7)).toBeLessThanOrEqual(1024 / RATE);
  });

  it('with `ready`, encodes chunks as they arrive: the same bytes as once all are on disk, on every encoder', async () => {
    // 24 s (two encoders of 12 s each, the second with its pre-roll) with a chunk missing.
    const made = await makeAudioSegments({ dir: path('long'), startEpoch: 2000, count: 12, skip: [2010] });
    const chunks: AudioTrackChunk[] = made.files.map((file, i) => ({
      file,
      startTime: made.epochs[i] as number,
      codec: 'pcm',
    }));
    const long = { start: 2000.5, end: 2024 };
    const direct = await buildAudioTrack({ chunks, window: long, output: path('long.aac'), parallelism: 2 });
    expect(direct.encode?.chunks).toBe(2);
    // Each chunk is ready 5 ms after the previous one, the last first.
    const plans: unknown[] = [];
    const streamed = await buildAudioTrack({
      chunks,
      window: long,
      output: path('long-streamed.aac'),
      parallelism: 2,
      onPlan: (plan) => plans.push(plan),
      ready: (index) =>
        new Promise((resolve) => setTimeout(resolve, index === chunks.length - 1 ? 0 : 5 * (index + 1))),
    });
    expect((await readFile(path('long-streamed.aac'))).equals(await readFile(path('long.aac')))).toBe(true);
    const { seconds: _seconds, encode: _encode, aac: _aac, ...plan } = direct;
    expect(plans).toEqual([plan]);
    expect(streamed).toMatchObject({ ...plan, aac: { offset: direct.aac.offset } });

    // onPlan's refusal, heard while the encode runs, stops it and leaves no output.
    const refused = new Error('mostly empty');
    const error = await buildAudioTrack({
      chunks,
      window: long,
      output: path('long-refused.aac'),
      ready: () => Promise.resolve(),
      onPlan: () => {
        throw refused;
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBe(refused);
    expect(existsSync(path('long-refused.aac'))).toBe(false);
  });

  it('joins AAC chunks without re-encoding: the bytes joinAdts writes', async () => {
    const phases = new Set<string>();
    const track = await buildAudioTrack({
      chunks: aacChunks,
      window,
      output: path('track-aac.aac'),
      onProgress: (p) => phases.add(p.phase),
    });
    const joined = await joinAdts({ chunks: aacChunks, window, output: path('direct-aac.aac') });
    expect((await readFile(path('track-aac.aac'))).equals(await readFile(path('direct-aac.aac')))).toBe(true);
    expect(track).toMatchObject({
      codec: 'aac',
      aac: { adts: path('track-aac.aac'), offset: joined.offset },
      gaps: joined.gaps,
      silenceSeconds: joined.silenceSeconds,
      damaged: [],
      seconds: { encode: 0 },
    });
    expect(track.encode).toBeUndefined();
    expect(track.durationSeconds).toBeGreaterThanOrEqual(7);
    expect(track.durationSeconds).toBeLessThan(7 + 1024 / RATE);
    expect([...phases]).toEqual(['join']);
    const packets = await probeFrames(path('track-aac.aac'), 'a:0');
    expect(packets.length).toBe(joined.frames);
  });

  it('tells onPlan the timeline before the encode, and stops when it throws, leaving no output', async () => {
    const refused = new Error('mostly empty');
    for (const chunks of [wavChunks, aacChunks]) {
      const plans: unknown[] = [];
      const output = path(`planned-${chunks[0]?.codec}.aac`);
      const error = await buildAudioTrack({
        chunks,
        window,
        output,
        onPlan: (plan) => {
          plans.push(plan);
          throw refused;
        },
        onProgress: (p) => {
          if (p.phase === 'encode') throw new Error('encoded after onPlan threw');
        },
      }).catch((caught: unknown) => caught);
      expect(error).toBe(refused);
      expect(plans).toMatchObject([{ codec: chunks[0]?.codec, silenceSeconds: expect.any(Number) }]);
      expect((plans[0] as { gaps: unknown[] }).gaps.length).toBeGreaterThan(0);
      expect(existsSync(output)).toBe(false);
    }
  });

  it('refuses chunks of two kinds, naming one of each', async () => {
    await expect(
      buildAudioTrack({
        chunks: [wavChunks[0] as AudioTrackChunk, aacChunks[1] as AudioTrackChunk],
        window,
        output: path('mixed.aac'),
      }),
    ).rejects.toMatchObject({
      name: 'MuxError',
      code: 'MUX_MIXED_AUDIO',
      message:
        'audio chunks of two kinds: cam1/00/audio/1000.wav is pcm, cam1/00/audio/1002.aac is aac; a track takes one kind',
    });
  });

  it('passes strict on to the join: a damaged chunk fails, naming it', async () => {
    await expect(
      buildAudioTrack({ chunks: wavChunks, window, strict: true, output: path('strict.aac') }),
    ).rejects.toMatchObject({
      code: 'WAV_INVALID',
      message: expect.stringMatching(/^cam1\/00\/audio\/1002\.wav: /),
    });
    await expect(
      buildAudioTrack({ chunks: aacChunks, window, strict: true, output: path('strict-gap.aac') }),
    ).rejects.toMatchObject({ code: 'AUDIO_GAP' });
  });
});
