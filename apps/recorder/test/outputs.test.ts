import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { readTs, StreamType } from '@rec/es-ts';
import {
  ffmpegDecodeWarnings,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  probe,
  probeFrames,
  probePackets,
  type S3TestServer,
  startS3Server,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, record } from '../src/index.js';
import { files, silences, treeObjects } from './helpers/media.js';
import { runCli } from './helpers/runCli.js';

const E0 = 1_700_000_000;
const bucket = 'cams';
const prefix = 'recordings/cam07';
const fps = 25;
/** One AAC frame at 48 kHz. */
const aacFrame = 1024 / 48_000;
// 5 segments of 2 s (E0 .. E0+10); the audio segment E0+4 is missing.
const missingAudio = E0 + 4;
// Starts mid-segment: the segment E0 covers `start`, E0+8 is the last to start before `end`.
const window = { start: E0 + 1.3, end: E0 + 8.7 };
const length = window.end - window.start;
const windowArgs = ['--start', String(window.start), '--end', String(window.end)];

/** Everything under `dir`, relative, except the cache of the source runner (tsx) the repo's bin uses. */
async function leftovers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const file of files(dir)) {
    const path = relative(dir, file);
    if (!path.startsWith('tsx-')) found.push(path);
  }
  return found.sort();
}

describe('recorder outputs: S3 target, audio-only, video-only', () => {
  let s3: S3TestServer;
  let dir: TempDir;
  let source: RecordOptions['source'];
  /** The CLI's source flags for this server. */
  let cliS3: string[];

  beforeAll(async () => {
    s3 = await startS3Server();
    dir = await makeTempDir();
    const media = join(dir.path, 'media');
    await makeVideoSegments({ dir: media, camera: prefix, startEpoch: E0, count: 5, bframes: 3 });
    await makeAudioSegments({ dir: media, camera: prefix, startEpoch: E0, count: 5, skip: [missingAudio] });
    await s3.createBucket(bucket);
    await s3.putObjects(bucket, await treeObjects(media));
    source = { type: 's3', bucket, prefix, region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true };
    cliS3 = ['--bucket', bucket, '--prefix', prefix, '--endpoint', s3.endpoint, '--force-path-style'];
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  }, 60_000);
  afterAll(async () => {
    await s3?.stop();
    await dir?.remove();
  });

  describe('-o s3://bucket/key', () => {
    const key = 'exports/cam07/clip.mp4';
    const url = `s3://${bucket}/${key}`;

    it('uploads the MP4 as video/mp4 and leaves nothing behind locally', async () => {
      // The default temp dir goes under the OS temp dir: point it at an empty one.
      const tmp = join(dir.path, 'os-tmp');
      await mkdir(tmp);
      const run = await runCli([...cliS3, ...windowArgs, '-o', url, '--json'], { TMPDIR: tmp });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout) as { ok: boolean; output: string };
      expect(summary).toMatchObject({ ok: true, output: url });
      expect(await leftovers(tmp)).toEqual([]);

      const object = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(object.ContentType).toBe('video/mp4');
      const downloaded = join(dir.path, 'downloaded.mp4');
      await writeFile(downloaded, await (object.Body?.transformToByteArray() ?? new Uint8Array()));
      const { format, streams } = await probe(downloaded);
      expect(format.duration).toBe('7.400000'); // the window exactly (edit lists)
      expect(streams.map((stream) => [stream.codec_type, stream.codec_name]).sort()).toEqual([
        ['audio', 'aac'],
        ['video', 'h264'],
      ]);
    });

    it('keeps the temp dir, with the uploaded file, only with --keep-temp', async () => {
      const tmp = join(dir.path, 'os-tmp-kept');
      await mkdir(tmp);
      const run = await runCli([...cliS3, ...windowArgs, '-o', url, '--keep-temp', '--json'], {
        TMPDIR: tmp,
      });
      expect(run.code).toBe(0);
      const kept = await leftovers(tmp);
      const recording = kept.find((path) => path.endsWith('recording.mp4'));
      expect(recording).toBeDefined();
      expect(kept.filter((path) => path.endsWith('.part'))).toEqual([]);
      const object = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const uploaded = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      expect(uploaded.equals(await readFile(join(tmp, recording ?? '')))).toBe(true);
    });

    it('names a missing output bucket before any download, exit 1', async () => {
      const tmp = join(dir.path, 'os-tmp-failed');
      await mkdir(tmp);
      const run = await runCli([...cliS3, ...windowArgs, '-o', 's3://no-such-output/clip.mp4'], {
        TMPDIR: tmp,
      });
      expect(run.code).toBe(1);
      const errors = run.stderr.split('\n').filter((line) => line.startsWith('recorder:'));
      expect(errors).toEqual([
        'recorder: The output bucket "no-such-output" does not exist (s3://no-such-output/clip.mp4) [RECORDER_OUTPUT]',
      ]);
      expect(run.stderr).not.toMatch(/^\s+at /m); // no stack without --debug
      // Found while the source was listed: no job directory was made, nothing downloaded.
      expect(await leftovers(tmp)).toEqual([]);
    });
  });

  describe('audio only (--no-video)', () => {
    it('MP4: AAC of exactly the window, silence where the segment is missing', async () => {
      const output = join(dir.path, 'out/audio-only.mp4');
      const run = await runCli([...cliS3, ...windowArgs, '--no-video', '-o', output, '--json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout) as {
        segments: { video: number; audio: number };
        gaps: { kind: string; start: number; seconds: number }[];
      };
      expect(summary.segments).toEqual({ video: 0, audio: 4 });
      expect(summary.gaps.map((gap) => [gap.kind, gap.start, gap.seconds])).toEqual([
        ['audio', missingAudio, 2],
      ]);

      const { format, streams } = await probe(output);
      expect(streams.map((stream) => stream.codec_type)).toEqual(['audio']);
      expect(streams[0]?.codec_name).toBe('aac');
      // The window exactly: the edit list hides the priming and cuts the last AAC frame at `end`.
      expect([format.duration, streams[0]?.duration]).toEqual(['7.400000', '7.400000']);
      expect(await ffmpegDecodeWarnings(output)).toBe('');
      // The missing 2 s are silence at their place on the timeline (E0+4 is 2.7 s in).
      const found = await silences(output);
      expect(found).toHaveLength(1);
      expect(found[0]?.start).toBeCloseTo(missingAudio - window.start, 1);
      expect(found[0]?.end).toBeCloseTo(missingAudio + 2 - window.start, 1);
    });

    it('TS: AAC of exactly the window, no video stream', async () => {
      const output = join(dir.path, 'out/audio-only.ts');
      const summary = await record({ source, ...window, output, format: 'ts', kinds: ['audio'] });
      expect(summary.video).toBeUndefined();
      expect(summary.audio?.silenceSeconds).toBe(2);

      const read = await readTs(await readFile(output));
      expect(read.streams.map((stream) => stream.streamType)).toEqual([StreamType.AacAdts]);
      expect(read.continuityErrorCount).toBe(0);
      const { format, streams } = await probe(output);
      expect(streams.map((stream) => [stream.codec_type, stream.codec_name])).toEqual([['audio', 'aac']]);
      // TS has no edit list to hide the AAC encoder's priming frame (1024 samples before the
      // first real sample): the stream is the window plus that frame, within one AAC frame.
      expect(Math.abs(Number(streams[0]?.duration) - (length + aacFrame))).toBeLessThanOrEqual(aacFrame);
      expect(Math.abs(Number(format.duration) - (length + aacFrame))).toBeLessThanOrEqual(aacFrame);
      expect(await ffmpegDecodeWarnings(output)).toBe('');
      const found = await silences(output);
      // ffmpeg decodes from the file's first timestamp as 0; the first real sample follows the priming.
      const firstSample = aacFrame;
      expect(found).toHaveLength(1);
      expect((found[0]?.start ?? 0) - firstSample).toBeCloseTo(missingAudio - window.start, 1);
      expect((found[0]?.end ?? 0) - firstSample).toBeCloseTo(missingAudio + 2 - window.start, 1);
    });
  });

  it('video only (--no-audio) to .ts: one H.264 stream from the keyframe before start', async () => {
    const output = join(dir.path, 'out/video-only.ts');
    const run = await runCli([...cliS3, ...windowArgs, '--no-audio', '-o', output, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, segments: { video: 5, audio: 0 } });

    const read = await readTs(await readFile(output));
    expect(read.streams.map((stream) => stream.streamType)).toEqual([StreamType.H264]);
    expect(read.continuityErrorCount).toBe(0);
    const videoPid = read.streams[0]?.pid;
    const pes = read.pes.filter((packet) => packet.pid === videoPid);
    expect(pes[0]?.randomAccess).toBe(true);

    const { streams } = await probe(output);
    expect(streams.map((stream) => [stream.codec_type, stream.codec_name])).toEqual([['video', 'h264']]);
    // TS has no edit list: it starts at the IDR of the segment covering `start` (E0)...
    const frames = await probeFrames(output);
    const ordered = frames
      .map((f) => ({ ...f, time: f.best_effort_timestamp ?? f.pts ?? Number.NaN }))
      .sort((a, b) => a.time - b.time);
    expect(ordered[0]).toMatchObject({ key_frame: 1, pict_type: 'I' });
    // ...and holds every frame of [E0, end), 8.7 s at 25 fps, each once, one frame apart.
    const times = ordered.map((f) => Math.round(((f.time - (ordered[0]?.time ?? 0)) / 90_000) * fps));
    const inWindow = times.filter((t) => t < (window.end - E0) * fps);
    expect(inWindow).toEqual(Array.from({ length: Math.ceil((window.end - E0) * fps) }, (_, k) => k));
    // Stream copy cuts in decoding order after the last picture presented before `end`: what it
    // keeps from after `end` are the references decoded before that one (es-ts `keep.end`),
    // which the encoder's GOP decides.
    const first = ordered[0]?.time ?? 0;
    const decodeOrder = (await probePackets(output, 'v:0')).map((packet) =>
      Math.round((((packet.pts ?? Number.NaN) - first) / 90_000) * fps),
    );
    const endFrame = (window.end - E0) * fps;
    expect(decodeOrder.at(-1)).toBeLessThan(endFrame);
    expect(times.slice(inWindow.length).sort((a, b) => a - b)).toEqual(
      decodeOrder.filter((t) => t >= endFrame).sort((a, b) => a - b),
    );
    expect(pes).toHaveLength(frames.length);
    expect(await ffmpegDecodeWarnings(output)).toBe('');
  });
});
