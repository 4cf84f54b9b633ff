import { existsSync } from 'node:fs';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodePcm16,
  encodeTestAudio,
  ffmpegPath,
  makeAudioSegments,
  makeTempDir,
  probe,
  probePackets,
  runFfmpeg,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AAC_PREROLL_FRAMES, planAacChunks } from '../src/aac/planAacChunks.js';
import { encodeAac, joinWav, MuxError, planWavJoin, writeRecording } from '../src/index.js';
import { readMp4Summary } from './helpers/mp4Boxes.js';

const RATE = 48_000;
const SECONDS = 31;

/** Decodes to interleaved stereo s16 samples (the whole stream: priming included unless a container says otherwise). */
const decode = (file: string) => decodePcm16(file, { channels: 2 });

/** Signal-to-noise ratio (dB) of `test` against `reference` over interleaved sample range [from, to). */
function snr(reference: Int16Array, test: Int16Array, from: number, to: number): number {
  let signal = 0;
  let noise = 0;
  for (let i = from; i < to; i++) {
    const r = reference[i] ?? 0;
    const d = (test[i] ?? 0) - r;
    signal += r * r;
    noise += d * d;
  }
  return 10 * Math.log10(signal / Math.max(noise, 1));
}

describe('planAacChunks', () => {
  it('puts seams on the 1024-sample grid, owns every frame once and pre-rolls every chunk but the first', () => {
    const samples = 600 * RATE + 123;
    const chunks = planAacChunks({ samples, sampleRate: RATE, parallelism: 4 });
    expect(chunks).toHaveLength(4);
    expect(chunks[0]).toMatchObject({ inputFrom: 0, keepFrom: -1024 });
    expect(chunks.at(-1)).toMatchObject({ inputTo: samples, keepTo: Number.POSITIVE_INFINITY });
    for (let k = 1; k < chunks.length; k++) {
      const [previous, chunk] = [chunks[k - 1]!, chunks[k]!];
      expect(chunk.keepFrom).toBe(previous.keepTo);
      expect(chunk.keepFrom % 1024).toBe(0);
      expect(chunk.inputFrom).toBe(chunk.keepFrom - AAC_PREROLL_FRAMES * 1024);
      expect(previous.inputTo).toBeGreaterThan(previous.keepTo);
    }
    // Equal shares, to a frame (seam rounding) plus the partial last frame.
    const shares = chunks.map((chunk) => Math.min(chunk.keepTo, samples) - Math.max(chunk.keepFrom, 0));
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(2 * 1024);
  });

  it('does not split short audio: chunks of at least 10 s', () => {
    expect(planAacChunks({ samples: 9 * RATE, sampleRate: RATE, parallelism: 8 })).toHaveLength(1);
    expect(planAacChunks({ samples: 25 * RATE, sampleRate: RATE, parallelism: 8 })).toHaveLength(2);
    expect(planAacChunks({ samples: 25 * RATE, sampleRate: RATE, parallelism: 1 })).toHaveLength(1);
  });
});

describe('encodeAac', () => {
  /** [what, SNR of ours, SNR of one ffmpeg pass] in dB, printed after the tests: the figures of this build. */
  const seen: [string, number, number][] = [];
  let dir: TempDir;
  let wav: string;
  let source: Int16Array;

  beforeAll(async () => {
    dir = await makeTempDir();
    wav = join(dir.path, 'input.wav');
    // Left: a 440 Hz tone with a 1760 Hz beep every second (transients land on the seams); right: 660 Hz.
    await encodeTestAudio(wav, {
      seconds: SECONDS,
      sampleRate: RATE,
      channelTones: [{ frequency: 440, beepFactor: 4 }, { frequency: 660 }],
    });
    source = await decode(wav);
  }, 60_000);
  afterAll(async () => {
    await dir?.remove();
    const rows = seen.map(
      ([what, ours, one]) => `${what}: ${ours.toFixed(2)} dB, one pass ${one.toFixed(2)} dB`,
    );
    if (rows.length > 0) console.info(`AAC SNR with ${ffmpegPath()}\n${rows.join('\n')}`);
  });

  it('encodes in 3 chunks to the frame grid of one encoder, seams as clean as the rest', async () => {
    const single = await encodeAac({ wav, output: join(dir.path, 'single.aac'), parallelism: 1 });
    const split = await encodeAac({ wav, output: join(dir.path, 'split.aac'), parallelism: 3 });
    expect(single.chunks).toBe(1);
    expect(split.chunks).toBe(3);
    expect(split).toMatchObject({ sampleRate: RATE, channels: 2, primingSamples: 1024, bitrate: '128k' });
    expect(split.samples).toBe(SECONDS * RATE);
    // Priming frame + one per 1024 samples + the flush frame: the same count as one encoder.
    expect(split.frames).toBe(single.frames);
    expect((await probePackets(split.output, 'a:0')).length).toBe(split.frames);

    const [one, three] = [await decode(single.output), await decode(split.output)];
    expect(three.length).toBe(one.length);
    // Decoded ADTS starts with the 1024 priming samples: drop them to line up with the source.
    const aligned = three.subarray(2 * 1024);
    const alignedOne = one.subarray(2 * 1024);
    const n = source.length;
    // Against what the same ffmpeg does in one process over the same samples, not an absolute
    // figure of one build (about 37 dB here with ffmpeg 4.1, 29 dB with Debian's 5.1).
    const onePass = snr(source, alignedOne, 0, n);
    seen.push(['3 chunks', snr(source, aligned, 0, n), onePass]);
    expect(onePass).toBeGreaterThan(20); // an encoder, not noise
    expect(snr(source, aligned, 0, n)).toBeGreaterThan(onePass - 0.5);
    const seams = planAacChunks({ samples: split.samples, sampleRate: RATE, parallelism: 3 })
      .slice(1)
      .map((chunk) => chunk.keepFrom);
    for (const seam of seams) {
      // 20 ms either side of the seam, against the single encoder on the same samples.
      const [from, to] = [2 * (seam - 960), 2 * (seam + 960)];
      seen.push([`seam ${seam}`, snr(source, aligned, from, to), snr(source, alignedOne, from, to)]);
      expect(snr(source, aligned, from, to)).toBeGreaterThan(snr(source, alignedOne, from, to) - 3);
    }
    // Nothing is left next to the output but the output.
    expect((await readdir(dir.path)).filter((name) => name.includes('.part'))).toEqual([]);
  }, 60_000);

  it('encodes WAV chunks joined on the fly to the same bytes as their joined file', async () => {
    const { files } = await makeAudioSegments({
      dir: join(dir.path, 'segments'),
      startEpoch: 2000,
      count: 12,
      channels: 2,
      skip: [2010],
    });
    const chunks = files.map((file) => ({ file, startTime: Number(/(\d+)\.wav$/.exec(file)?.[1]) }));
    const window = { start: 2000.3, end: 2023.7 };
    const joined = await joinWav({ chunks, window, output: join(dir.path, 'joined.wav') });
    const fromFile = await encodeAac({
      wav: joined.output,
      output: join(dir.path, 'file.aac'),
      parallelism: 2,
    });
    const onTheFly = await encodeAac({
      wav: await planWavJoin({ chunks, window }),
      output: join(dir.path, 'fly.aac'),
      parallelism: 2,
    });
    expect(onTheFly.chunks).toBe(2);
    expect(onTheFly.samples).toBe(joined.samples);
    expect((await readFile(onTheFly.output)).equals(await readFile(fromFile.output))).toBe(true);
  }, 60_000);

  it('gives an MP4 whose audio starts at 0 and lasts exactly the WAV (the edit list hides the priming)', async () => {
    const output = join(dir.path, 'audio.mp4');
    const written = await writeRecording({
      audio: { wav, parallelism: 2 },
      window: { start: 0, end: SECONDS },
      output,
    });
    expect(written.aac?.chunks).toBe(2);
    expect(written.audioSeconds).toBeCloseTo(SECONDS, 6);
    const probed = await probe(output);
    const audio = probed.streams.find((stream) => stream.codec_type === 'audio');
    expect(Number(audio?.start_time)).toBe(0);
    // One edit: SECONDS of presentation starting 1024 samples into the media (after the priming frame).
    const summary = await readMp4Summary(output);
    const track = summary.tracks.find((entry) => entry.handler === 'soun');
    expect(summary.topLevel.indexOf('moov')).toBeLessThan(summary.topLevel.indexOf('mdat'));
    expect(track?.elst).toEqual([
      [SECONDS * summary.mvhdTimescale, (1024 * (track?.mdhdTimescale ?? 0)) / RATE, 1],
    ]);
    // The same ffmpeg, one pass from the WAV to MP4, decoded the same way: the edit lists of both hide
    // the priming, so both line up with the source.
    const onePass = join(dir.path, 'one-pass.mp4');
    await runFfmpeg(['-v', 'error', '-i', wav, '-c:a', 'aac', '-b:a', '128k', '-f', 'mp4', onePass]);
    const reference = snr(source, await decode(onePass), 0, source.length);
    const decoded = await decode(output);
    seen.push(['MP4', snr(source, decoded, 0, source.length), reference]);
    expect(reference).toBeGreaterThan(20);
    expect(snr(source, decoded, 0, source.length)).toBeGreaterThan(reference - 1);
  }, 60_000);

  it('rejects a WAV that is not PCM naming the file, and leaves no output', async () => {
    const bad = join(dir.path, 'float.wav');
    await encodeTestAudio(bad, { seconds: 1, sampleRate: 44_100, codec: 'pcm_f32le' });
    const output = join(dir.path, 'bad.aac');
    const error = await encodeAac({ wav: bad, output }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MuxError);
    expect((error as MuxError).message).toContain(bad);
    expect((await readdir(dir.path)).filter((name) => name.startsWith('bad.aac'))).toEqual([]);
  });

  it('streams the ADTS as the encoders write it: the same bytes as the file, the file written as it is read', async () => {
    const reference = await encodeAac({ wav, output: join(dir.path, 'reference.aac'), parallelism: 3 });
    const output = join(dir.path, 'streamed.aac');
    let streamed: Buffer[] = [];
    let format: unknown;
    let consumed: Promise<void> | undefined;
    // The last chunk's encoder starts 3 s late: the first bytes must come before it has written any.
    const lastChunk = `${output}.part.2.aac`;
    const wrapper = join(dir.path, 'late-last-encoder');
    await writeFile(
      wrapper,
      `#!/bin/sh\ncase " $* " in *"${lastChunk}"*) sleep 3;; esac\nexec ${JSON.stringify(ffmpegPath())} "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    let lastChunkAtFirstBytes: boolean | undefined;
    const result = encodeAac({
      wav,
      output,
      parallelism: 3,
      ffmpegPath: wrapper,
      onStream: (adts, info) => {
        format = info;
        consumed = (async () => {
          for await (const bytes of adts) {
            lastChunkAtFirstBytes ??= existsSync(lastChunk);
            streamed.push(Buffer.from(bytes));
          }
        })();
      },
    });
    const done = await result;
    await consumed;
    expect(format).toEqual({ sampleRate: RATE, channels: 2, primingSamples: 1024 });
    expect(lastChunkAtFirstBytes).toBe(false);
    const bytes = Buffer.concat(streamed);
    streamed = [];
    expect(bytes.equals(await readFile(reference.output))).toBe(true);
    expect((await readFile(done.output)).equals(bytes)).toBe(true);
    expect(done).toMatchObject({ frames: reference.frames, bytes: reference.bytes, chunks: 3 });
    expect(
      (await readdir(dir.path)).filter((name) => name.startsWith('streamed') && name !== 'streamed.aac'),
    ).toEqual([]);
  }, 60_000);

  it('a stream ended early stops the encoders: the call rejects and leaves nothing', async () => {
    const output = join(dir.path, 'cut.aac');
    const run = encodeAac({
      wav,
      output,
      parallelism: 3,
      onStream: (adts) => {
        void (async () => {
          for await (const _ of adts) break;
        })();
      },
    });
    await expect(run).rejects.toThrow('the AAC stream was closed before its end');
    expect((await readdir(dir.path)).filter((name) => name.startsWith('cut'))).toEqual([]);
  }, 60_000);

  it('a stream never read is released by an abort', async () => {
    const controller = new AbortController();
    const output = join(dir.path, 'unread.aac');
    const run = encodeAac({ wav, output, parallelism: 2, signal: controller.signal, onStream: () => {} });
    setTimeout(() => controller.abort(new Error('stop')), 100);
    await expect(run).rejects.toThrow('stop');
    expect((await readdir(dir.path)).filter((name) => name.startsWith('unread'))).toEqual([]);
  }, 60_000);

  it('stops every encoder when aborted and removes the chunks', async () => {
    const controller = new AbortController();
    const output = join(dir.path, 'aborted.aac');
    const run = encodeAac({ wav, output, parallelism: 3, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(run).rejects.toThrow('stop');
    expect((await readdir(dir.path)).filter((name) => name.startsWith('aborted'))).toEqual([]);
  });
});
