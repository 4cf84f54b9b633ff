import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { muxSegments, TS_CLOCK } from '@rec/es-ts';
import {
  encodeTestVideo,
  ffmpegDecodeWarnings,
  frameHashes,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  type ProbePacket,
  probe,
  probeFrames,
  probePackets,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAac, joinWav, MuxError, probeRecording, writeRecording } from '../src/index.js';
import { readMp4Summary } from './helpers/mp4Boxes.js';

const FPS = 25;
const FRAME = 1 / FPS;
const ORIGIN = 1000;
/** The video TS covers timeline [1002, 1008): keyframes (closed GOPs of 2 s) at 1002, 1004, 1006. */
const VIDEO_START = 1002;
/** Starts 1.2 s into the GOP of 1002, ends 0.6 s into the GOP of 1004. */
const WINDOW = { start: 1003.2, end: 1005.6 };
const LENGTH = WINDOW.end - WINDOW.start;

async function* readChunks(file: string, delayMs = 0): AsyncIterable<Uint8Array> {
  for await (const chunk of createReadStream(file, { highWaterMark: 32 * 1024 })) {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield chunk as Uint8Array;
  }
}

/** ffmpeg processes whose command line mentions `text` (read from /proc). */
async function processesMentioning(text: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const found: number[] = [];
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text) && cmdline.includes('ffmpeg')) found.push(Number(pid));
  }
  return found;
}

describe('writeRecording', () => {
  let dir: TempDir;
  let ts: string;
  let wav: string;
  let basePts: number;
  let inputPackets: ProbePacket[];
  const out = (name: string) => join(dir.path, name);
  const video = () => ({ ts: readChunks(ts), origin: ORIGIN, basePts });
  let segmentFiles: { files: string[]; epochs: number[] };
  /** The same picture as segments (2-s closed GOPs, B-pyramid) at 1002, 1004, 1006. */
  const esSegments = () =>
    segmentFiles.files.map((file, i) => ({
      name: `cam1/00/video/${segmentFiles.epochs[i]}.h264`,
      startTime: segmentFiles.epochs[i] as number,
      source: () => readChunks(file),
    }));
  const segmentsVideo = () => ({ segments: esSegments() });

  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-write-');
    ts = out('video.ts');
    // H.264 with a B-pyramid, closed 2 s GOPs, as one TS; -output_ts_offset moves its PTS onto the
    // recording timeline (basePts is measured below, as a TS from @rec/es-ts would define it).
    await encodeTestVideo(ts, {
      seconds: 6,
      fps: FPS,
      gop: 2 * FPS,
      bframes: 3,
      format: 'mpegts',
      outputArgs: ['-output_ts_offset', '2'],
    });
    inputPackets = await probePackets(ts, 'v:0');
    const firstKey = inputPackets.find((packet) => packet.flags.startsWith('K'));
    basePts = (firstKey?.pts ?? Number.NaN) - (VIDEO_START - ORIGIN) * TS_CLOCK;

    segmentFiles = await makeVideoSegments({ dir: dir.path, startEpoch: VIDEO_START, count: 3, bframes: 3 });
    const audio = await makeAudioSegments({ dir: dir.path, startEpoch: 1002, count: 3, sampleRate: 48_000 });
    wav = out('window.wav');
    await joinWav({
      chunks: audio.files.map((file, i) => ({ file, startTime: audio.epochs[i] ?? 0 })),
      window: WINDOW,
      output: wav,
    });
  });
  afterAll(() => dir.remove());

  it('has a fixture on the origin/basePts convention', () => {
    expect(inputPackets[0]?.flags).toMatch(/^K/);
    expect(basePts).toBeGreaterThan(0);
  });

  it('writes an MP4 of exactly the window: edit list from the keyframe before start, faststart, clean decode', async () => {
    const output = out('av.mp4');
    const progress: number[] = [];
    const result = await writeRecording({
      video: video(),
      audio: { wav },
      window: WINDOW,
      output,
      onProgress: (p) => progress.push(p.transferred),
    });
    expect(result).toMatchObject({ output, format: 'mp4', bytes: (await stat(output)).size });
    expect(result.durationSeconds).toBeCloseTo(LENGTH, 3);
    expect(result.audioSeconds).toBeCloseTo(LENGTH, 3);
    expect(result.ffmpegArgs).toContain('-use_editlist');
    expect(progress.length).toBeGreaterThan(0);
    expect(await readdir(dir.path)).not.toContain('av.mp4.part');

    const { format, streams } = await probe(output);
    const videoStream = streams.find((s) => s.codec_type === 'video');
    const audioStream = streams.find((s) => s.codec_type === 'audio');
    expect(Math.abs(Number(format.duration) - LENGTH)).toBeLessThanOrEqual(FRAME);
    expect(Math.abs(Number(videoStream?.duration) - LENGTH)).toBeLessThanOrEqual(0.04);
    expect(Math.abs(Number(audioStream?.duration) - LENGTH)).toBeLessThanOrEqual(0.04);
    expect(videoStream?.codec_name).toBe('h264');
    expect(audioStream?.codec_name).toBe('aac');
    expect(videoStream?.start_time).toBe('0.000000');

    // The first presented frame is at 0 and exactly the window's frames are presented.
    const frames = await probeFrames(output);
    expect(frames[0]?.pts).toBe(0);
    expect(frames.length).toBe(Math.round(LENGTH * FPS));

    // elst: media_time skips from the first decoded sample (the keyframe's GOP, in decode order)
    // to the frame at `start`: (PTS of start - first DTS), in the track's timescale.
    const summary = await readMp4Summary(output);
    const track = summary.tracks.find((t) => t.handler === 'vide');
    const startPts = basePts + (WINDOW.start - ORIGIN) * TS_CLOCK;
    const firstDts = inputPackets[0]?.dts ?? Number.NaN;
    expect(track?.elst).toHaveLength(1);
    expect(track?.elst?.[0]?.[1]).toBe(
      Math.round(((startPts - firstDts) * (track?.mdhdTimescale ?? 0)) / TS_CLOCK),
    );
    expect(track?.elst?.[0]?.[0]).toBe(Math.round(LENGTH * summary.mvhdTimescale));
    expect(summary.mvhdDuration / summary.mvhdTimescale).toBeCloseTo(LENGTH, 3);

    // faststart: moov before mdat.
    expect(summary.topLevel.indexOf('moov')).toBeLessThan(summary.topLevel.indexOf('mdat'));
    expect(summary.topLevel[0]).toBe('ftyp');

    expect(await ffmpegDecodeWarnings(output)).toBe('');

    // The presented pictures are the input's pictures of [start, end), bit for bit.
    // Input picture k is at timeline VIDEO_START + k / FPS.
    const first = Math.round((WINDOW.start - VIDEO_START) * FPS);
    const wanted = (await frameHashes(ts)).slice(first, first + Math.round(LENGTH * FPS));
    expect(wanted).toHaveLength(60);
    expect(await frameHashes(output)).toEqual(wanted);

    const probed = await probeRecording(output);
    expect(probed.durationSeconds).toBeCloseTo(LENGTH, 3);
    expect(probed.streams.map((s) => [s.type, s.codec])).toEqual([
      ['video', 'h264'],
      ['audio', 'aac'],
    ]);
    expect(probed.streams[0]?.startSeconds).toBe(0);
  });

  it('reports mux progress from the start to the whole window, whatever ffmpeg prints as `time=`', async () => {
    // ffmpeg 5.x+ counts `time=` from its first report under -copyts (5.1 ended an 18-s mux at
    // 0.08 s): progress comes from the video timestamps fed to ffmpeg, or the bytes it wrote.
    const runs = {
      'av.mp4': { video: video(), audio: { wav } },
      'av.ts': { video: segmentsVideo(), audio: { wav }, format: 'ts' as const },
      'audio.mp4': { audio: { wav } },
    };
    for (const [name, options] of Object.entries(runs)) {
      const seen: number[] = [];
      await writeRecording({
        ...options,
        window: WINDOW,
        output: out(`progress-${name}`),
        onProgress: (p) => p.phase === 'mux' && seen.push(p.percent ?? Number.NaN),
      });
      expect(seen.at(-1)).toBe(1);
      expect(seen.every((percent, i) => percent >= 0 && percent <= 1 && percent >= (seen[i - 1] ?? 0))).toBe(
        true,
      );
      if (name !== 'audio.mp4')
        expect(seen.filter((percent) => percent > 0 && percent < 1).length).toBeGreaterThan(1);
    }
  });

  it('writes a video-only MP4', async () => {
    const output = out('video-only.mp4');
    const result = await writeRecording({ video: video(), window: WINDOW, output });
    expect(result.audioSeconds).toBeUndefined();
    const { format, streams } = await probe(output, { countFrames: true });
    expect(streams.map((s) => s.codec_type)).toEqual(['video']);
    expect(Math.abs(Number(format.duration) - LENGTH)).toBeLessThanOrEqual(FRAME);
    expect(streams[0]?.nb_read_frames).toBe(String(Math.round(LENGTH * FPS)));
    expect(await ffmpegDecodeWarnings(output)).toBe('');
  });

  it('keeps a hole at the start of the video as an empty edit (video is never shifted)', async () => {
    const output = out('late-video.mp4');
    const window = { start: 1001, end: 1003.6 }; // video only begins at 1002
    await writeRecording({ video: video(), window, output });
    const summary = await readMp4Summary(output);
    const track = summary.tracks.find((t) => t.handler === 'vide');
    expect(track?.elst?.[0]).toEqual([summary.mvhdTimescale, -1, 1]); // 1 s of nothing
    expect(summary.mvhdDuration).toBe(Math.round(2.6 * summary.mvhdTimescale));
    // Presented: the pictures of [1002, 1003.6), from 1 s on. (ffprobe's stream "duration" for an
    // edit list with an empty edit is the media length, 1.68 s here; the presentation is what counts.)
    const frames = await probeFrames(output);
    expect(frames).toHaveLength(40);
    const { streams } = await probe(output);
    const timeBase = Number(streams[0]?.time_base?.split('/')[1]);
    expect((frames[0]?.pts ?? 0) / timeBase).toBeCloseTo(1, 6);
    expect((frames.at(-1)?.pts ?? 0) / timeBase).toBeCloseTo(2.56, 6);
  });

  it("keeps a 12 s hole in the middle of the video where it is (longer than ffmpeg's 10 s discontinuity threshold)", async () => {
    // Timeline [1002, 1004) then [1016, 1018): two TS concatenated, the second PTS jump of 12 s.
    const part = async (name: string, at: number) => {
      return encodeTestVideo(out(name), {
        seconds: 2,
        fps: FPS,
        bframes: 3,
        format: 'mpegts',
        outputArgs: ['-output_ts_offset', String(at - ORIGIN)],
      });
    };
    const a = await part('hole-a.ts', 1002);
    const b = await part('hole-b.ts', 1016);
    const bKey = (await probePackets(b, 'v:0')).find((p) => p.flags.startsWith('K'));
    expect(bKey?.pts).toBe(basePts + 16 * TS_CLOCK);
    async function* both() {
      yield* readChunks(a);
      yield* readChunks(b);
    }
    const output = out('hole.mp4');
    const window = { start: 1003, end: 1017 };
    const result = await writeRecording({ video: { ts: both(), origin: ORIGIN, basePts }, window, output });
    expect(result.durationSeconds).toBeCloseTo(14, 3);
    const frames = await probeFrames(output);
    const { streams } = await probe(output);
    const timeBase = Number(streams[0]?.time_base?.split('/')[1]);
    const times = frames.map((f) => Math.round(((f.pts ?? 0) / timeBase) * 1000) / 1000);
    expect(times).toHaveLength(25 + 25); // [1003, 1004) and [1016, 1017)
    expect(times[0]).toBe(0);
    expect(times[24]).toBe(0.96);
    expect(times[25]).toBe(13); // 1016 - 1003: not pulled forward over the hole
    expect(times[49]).toBe(13.96);
  });

  it('writes an audio-only MP4 (AAC)', async () => {
    const output = out('audio-only.mp4');
    const result = await writeRecording({ audio: { wav }, window: WINDOW, output });
    expect(result.videoFrames).toBeUndefined();
    expect(result.audioSeconds).toBeCloseTo(LENGTH, 3);
    const { streams, format } = await probe(output);
    expect(streams.map((s) => [s.codec_type, s.codec_name, s.sample_rate])).toEqual([
      ['audio', 'aac', '48000'],
    ]);
    expect(Math.abs(Number(streams[0]?.duration) - LENGTH)).toBeLessThanOrEqual(0.04);
    expect(Math.abs(Number(format.duration) - LENGTH)).toBeLessThanOrEqual(0.04);
  });

  it('writes a video-only TS byte for byte, without ffmpeg', async () => {
    const output = out('copy.ts');
    const result = await writeRecording({ video: video(), window: WINDOW, output, format: 'ts' });
    expect(result.ffmpegArgs).toBeUndefined();
    expect(result.bytes).toBe((await stat(ts)).size);
    expect(Buffer.compare(await readFile(output), await readFile(ts))).toBe(0);
  });

  it('writes a TS with AAC from segments in its own writer: video PTS as es-ts gives them, audio at start', async () => {
    const output = out('av.ts');
    const result = await writeRecording({
      video: segmentsVideo(),
      audio: { wav },
      window: WINDOW,
      output,
      format: 'ts',
    });
    expect(result.ffmpegArgs).toBeUndefined(); // no ffmpeg muxer: es-ts wrote every packet
    expect(result.video).toMatchObject({ origin: WINDOW.start, basePts: 126_000, frames: 3 * 50 });
    expect(result.video?.audioFrames).toBeGreaterThan(Math.floor((LENGTH * 48_000) / 1024));
    const { streams } = await probe(output);
    expect(streams.map((s) => [s.codec_type, s.codec_name]).sort()).toEqual([
      ['audio', 'aac'],
      ['video', 'h264'],
    ]);
    // The video packets are those es-ts writes for the segments alone, on the same timeline.
    const alone = out('segments-alone.ts');
    await pipeline(
      muxSegments(esSegments(), { origin: WINDOW.start, basePts: 126_000 }).packets,
      createWriteStream(alone),
    );
    const videoPackets = await probePackets(output, 'v:0');
    expect(videoPackets.map((p) => [p.pts, p.dts])).toEqual(
      (await probePackets(alone, 'v:0')).map((p) => [p.pts, p.dts]),
    );
    const audioPackets = await probePackets(output, 'a:0');
    // The AAC encoder's 1024 priming samples come first: real audio starts at `start` (PTS 126000).
    expect(audioPackets[0]?.pts).toBe(126_000 - Math.round((1024 * TS_CLOCK) / 48_000));
    const last = audioPackets.at(-1);
    const audioEnd = ((last?.pts ?? 0) + (last?.duration ?? 0) - 126_000) / TS_CLOCK;
    expect(Math.abs(audioEnd - LENGTH)).toBeLessThanOrEqual(1024 / 48_000 + 0.001);
    expect(await ffmpegDecodeWarnings(output)).toBe('');
  });

  it('writes an MP4 from segments, muxing them itself', async () => {
    const output = out('segments.mp4');
    const result = await writeRecording({ video: segmentsVideo(), audio: { wav }, window: WINDOW, output });
    expect(result.video?.frames).toBe(3 * 50);
    expect(result.durationSeconds).toBeCloseTo(LENGTH, 3);
    const frames = await probeFrames(output);
    expect(frames[0]?.pts).toBe(0);
    expect(frames.length).toBe(Math.round(LENGTH * FPS));
    expect(await ffmpegDecodeWarnings(output)).toBe('');
  });

  it.each(['mp4', 'ts'] as const)(
    'writes the same %s bytes from an AAC stream read while its encoders run as from its finished file',
    async (format) => {
      const aacFile = out(`encoded-${format}.aac`);
      const encoded = await encodeAac({ wav, output: aacFile, parallelism: 2 });
      const offset = -encoded.primingSamples / encoded.sampleRate;
      const fromFile = out(`aac-file.${format}`);
      await writeRecording({
        video: segmentsVideo(),
        audio: { adts: aacFile, offset },
        window: WINDOW,
        output: fromFile,
        format,
      });
      // The stream is taken by the mux as the encoders write it; the encode settles once it is read.
      const fromStream = out(`aac-stream.${format}`);
      let written: Promise<unknown> | undefined;
      const encoding = encodeAac({
        wav,
        output: out(`streamed-${format}.aac`),
        parallelism: 2,
        onStream: (adts, info) => {
          written = writeRecording({
            video: segmentsVideo(),
            audio: { adts, offset: -info.primingSamples / info.sampleRate },
            window: WINDOW,
            output: fromStream,
            format,
          });
        },
      });
      await encoding;
      await written;
      expect((await readFile(fromStream)).equals(await readFile(fromFile))).toBe(true);
    },
  );

  it('refuses a muxed TS with separate audio for a TS recording: ffmpeg would write it', async () => {
    await expect(
      writeRecording({ video: video(), audio: { wav }, window: WINDOW, output: out('no.ts'), format: 'ts' }),
    ).rejects.toThrow(
      new TypeError(
        'Expected `video` to be segments (`video.segments`) when a TS recording has separate audio: es-ts ' +
          'interleaves it as it writes the TS, got `"a muxed TS (`video.ts`)"` (string)',
      ),
    );
  });

  it('kills ffmpeg on abort and leaves neither the output nor the .part', async () => {
    const output = out('aborted.mp4');
    const controller = new AbortController();
    const reason = new Error('user pressed ^C');
    const run = writeRecording({
      video: { ts: readChunks(ts, 50), origin: ORIGIN, basePts },
      audio: { wav },
      window: WINDOW,
      output,
      signal: controller.signal,
    });
    // Abort once the assembling ffmpeg runs: its last argument is the .part path
    // (the AAC encoders before it write `<output>.part.aac.part.<n>.aac`).
    const muxer = 'aborted.mp4.part\u0000';
    for (let i = 0; i < 150 && (await processesMentioning(muxer)).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await processesMentioning(muxer)).toHaveLength(1);
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    expect(await processesMentioning('aborted.mp4.part')).toEqual([]);
    expect((await readdir(dir.path)).filter((name) => name.startsWith('aborted'))).toEqual([]);
  });

  it('rejects with FFMPEG_FAILED in one line naming the input when ffmpeg fails', async () => {
    const output = out('garbage.mp4');
    async function* garbage() {
      yield new TextEncoder().encode('this is not an MPEG transport stream\n'.repeat(2000));
    }
    const error = await writeRecording({
      video: { ts: garbage(), origin: ORIGIN, basePts },
      window: WINDOW,
      output,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MuxError);
    expect(error).toMatchObject({ code: 'FFMPEG_FAILED' });
    expect((error as Error).message).toMatch(
      /^ffmpeg failed: pipe:0: (could not find codec parameters|Invalid data found when processing input)[^\n]*$/,
    );
    expect((await readdir(dir.path)).filter((name) => name.startsWith('garbage'))).toEqual([]);
  });

  it('validates its options', async () => {
    await expect(writeRecording({ window: WINDOW, output: out('none.mp4') })).rejects.toMatchObject({
      code: 'MUX_NO_INPUT',
    });
    await expect(
      writeRecording({ audio: { wav }, window: { start: 5, end: 5 }, output: out('empty.mp4') }),
    ).rejects.toThrow(
      new TypeError('Expected `window.end` to be a time after `window.start` (5), got `5` (number)'),
    );
    await expect(
      // @ts-expect-error: a format a JavaScript caller could pass
      writeRecording({ audio: { wav }, window: WINDOW, output: out('x.mkv'), format: 'mkv' }),
    ).rejects.toThrow('Expected `format` to be one of `mp4`, `ts`, got `"mkv"` (string)');
  });
});
