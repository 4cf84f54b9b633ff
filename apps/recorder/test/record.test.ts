import { existsSync } from 'node:fs';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readTs } from '@rec/es-ts';
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
import { type RecordOptions, type RecordSummary, record } from '../src/index.js';
import { files, treeObjects } from './helpers/media.js';
import { runCli } from './helpers/runCli.js';

const E0 = 1_700_000_000;
/** The one error line the CLI prints (progress lines are the rest of stderr). */
const errorLines = (run: { stderr: string }) =>
  run.stderr.split('\n').filter((line) => line.startsWith('recorder:'));
const bucket = 'cams';
const prefix = 'recordings/cam01';
const fps = 25;

describe('recorder: S3 segments in a window -> one recording', () => {
  let s3: S3TestServer;
  let dir: TempDir;
  let savedTmpdir: string | undefined;
  let source: RecordOptions['source'];
  // 12 segments of 2 s (24 s) with B-frames; video segment E0+10 and audio segment E0+16 are missing.
  const missingVideo = E0 + 10;
  const missingAudio = E0 + 16;

  beforeAll(async () => {
    s3 = await startS3Server();
    dir = await makeTempDir();
    const media = join(dir.path, 'media');
    await makeVideoSegments({
      dir: media,
      camera: prefix,
      startEpoch: E0,
      count: 12,
      bframes: 3,
      skip: [missingVideo],
    });
    await makeAudioSegments({ dir: media, camera: prefix, startEpoch: E0, count: 12, skip: [missingAudio] });
    await s3.createBucket(bucket);
    const objects: [string, Uint8Array | string][] = await treeObjects(media);
    // 2,000 unrelated keys: other cameras, other kinds, and this camera's older segments.
    for (let i = 0; i < 1000; i++) objects.push([`recordings/cam02/00/video/${E0 + 2 * i}.h264`, 'x']);
    for (let i = 0; i < 500; i++)
      objects.push([`recordings/cam01/00/video/${E0 - 2 * (i + 1)}.h264.bak`, 'x']);
    for (let i = 0; i < 500; i++) objects.push([`recordings/cam01/00/thumbs/${E0 + i}.jpg`, 'x']);
    await s3.putObjects(bucket, objects, 32);
    source = { type: 's3', bucket, prefix, region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    // Failed runs keep their job's temp dir for a resume: keep those inside this test's dir.
    savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = await mkdtemp(join(dir.path, 'tmp-'));
  }, 120_000);
  afterAll(async () => {
    await s3?.stop();
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    await dir?.remove();
  });

  const window = { start: E0 + 3.3, end: E0 + 19.7 };

  it('writes an MP4 of exactly the window with holes where segments are missing', async () => {
    const output = join(dir.path, 'out/window.mp4');
    const phases: string[] = [];
    let lastMux: number | undefined;
    const summary = await record({
      source,
      ...window,
      output,
      format: 'mp4',
      tempDir: join(dir.path, 'tmp-mp4'),
      onProgress: (progress) => {
        if (phases.at(-1) !== progress.phase) phases.push(progress.phase);
        if (progress.phase === 'mux') lastMux = progress.percent;
      },
    });
    // The mux runs while the audio encodes; its progress follows the encode's, to its end.
    expect(phases.indexOf('mux')).toBeGreaterThan(phases.lastIndexOf('encode'));
    expect(lastMux).toBe(1);
    const { format, streams } = await probe(output);
    const video = streams.find((stream) => stream.codec_type === 'video');
    const audio = streams.find((stream) => stream.codec_type === 'audio');
    expect(video?.codec_name).toBe('h264');
    expect(audio?.codec_name).toBe('aac');
    // Exactly the window: the edit lists cut both tracks at `start` and `end`.
    expect([format.duration, video?.duration, audio?.duration]).toEqual([
      '16.400000',
      '16.400000',
      '16.400000',
    ]);

    // Presented frames, as ffmpeg decodes them: every frame time in [start, end) (E0+3.32 to
    // E0+19.68, 410 of them) but the 50 of the missing segment, each once, at its own time.
    // ffmpeg gives the first one time 0 (the edit list's start), the others their distance from it.
    const [num = 1, den = 1] = (video?.time_base ?? '1/1').split('/').map(Number);
    const firstShown = Math.ceil((window.start - E0) * fps); // 83: E0+3.32
    const presented = (await probeFrames(output))
      .map((f) => ((f.best_effort_timestamp ?? f.pts ?? Number.NaN) * num) / den)
      .filter((t) => t >= 0)
      .map((t) => firstShown + Math.round(t * fps))
      .sort((a, b) => a - b);
    const expected = Array.from({ length: 410 }, (_, k) => firstShown + k).filter(
      (t) => t < (missingVideo - E0) * fps || t >= (missingVideo - E0 + 2) * fps,
    );
    expect(presented).toEqual(expected);
    expect(await ffmpegDecodeWarnings(output)).toBe('');

    // The two holes, exactly, and no other.
    expect(summary.gaps).toEqual([
      {
        kind: 'video',
        after: `${prefix}/00/video/${missingVideo - 2}.h264`,
        before: `${prefix}/00/video/${missingVideo + 2}.h264`,
        start: missingVideo,
        end: missingVideo + 2,
        seconds: 2,
      },
      {
        kind: 'audio',
        after: `${prefix}/00/audio/${missingAudio - 2}.wav`,
        before: `${prefix}/00/audio/${missingAudio + 2}.wav`,
        start: missingAudio,
        end: missingAudio + 2,
        seconds: 2,
      },
    ]);
    expect(summary.segments).toEqual({ video: 8, audio: 8 }); // E0+2..E0+18, less one missing each
    // Listing cost grows with the window: a couple of requests per kind, whatever else the bucket holds.
    expect(summary.requests.ListObjectsV2).toBeLessThanOrEqual(4);
    expect(summary.audio?.silenceSeconds).toBe(2);
    expect(summary.warnings).toEqual([]);
  });

  it('keeps a missing segment as a hole in the video timestamps, never shifting later frames', async () => {
    const output = join(dir.path, 'out/hole.ts');
    const summary = await record({
      source,
      ...window,
      output,
      format: 'ts',
      kinds: ['video'],
      tempDir: join(dir.path, 'tmp-ts'),
    });
    expect(summary.audio).toBeUndefined();
    expect(summary.segments).toEqual({ video: 8, audio: 0 });
    // Decoding order (the TS's packet order), each picture's presentation time in frames after E0.
    const packets = await probePackets(output, 'v:0');
    const first = Math.min(...packets.map((packet) => packet.pts ?? Number.NaN));
    // The output starts at the keyframe of the segment covering `start` (E0+2).
    const presented = packets.map(
      (packet) => Math.round(((packet.pts ?? Number.NaN) - first) / 3600) + 2 * fps,
    );
    const endFrame = (window.end - E0) * fps;
    // Every frame time from E0+2 to `end`, once each, except the 2 s of the missing segment: the
    // frames after the hole sit where their segment's epoch puts them, not 2 s earlier.
    const inWindow = presented.filter((t) => t < endFrame).sort((a, b) => a - b);
    const expected = Array.from({ length: Math.ceil(endFrame) - 2 * fps }, (_, k) => k + 2 * fps).filter(
      (t) => t < (missingVideo - E0) * fps || t >= (missingVideo - E0 + 2) * fps,
    );
    expect(inWindow).toEqual(expected);
    // Stream copy cuts in decoding order after the last picture presented before `end`; what it
    // keeps from after `end` are the references decoded before it (which ones depends on the
    // encoder's GOP decisions: x264 in ffmpeg 4.1 and 5.1 place them differently).
    expect(presented.at(-1)).toBeLessThan(endFrame);
    for (const t of presented.filter((t) => t >= endFrame)) expect(t).toBeLessThan(endFrame + 4);
    expect(await probeFrames(output)).toHaveLength(packets.length);
    expect(await ffmpegDecodeWarnings(output)).toBe('');
  });

  it('resumes an aborted download without fetching verified files again, same output bytes', async () => {
    const tempDir = join(dir.path, 'tmp-resume');
    const output = join(dir.path, 'out/resume.mp4');
    const controller = new AbortController();
    const aborted = await record({
      source,
      ...window,
      output,
      format: 'mp4',
      tempDir,
      concurrency: 2,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase === 'download' && (progress.percent ?? 0) > 0.3)
          controller.abort(new Error('stop here'));
      },
    }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(aborted?.message).toBe('stop here');
    await expect(stat(output)).rejects.toThrow();

    const resumed: RecordSummary = await record({
      source,
      ...window,
      output,
      format: 'mp4',
      tempDir,
      keepTemp: true,
    });
    expect(resumed.bytes.reused).toBeGreaterThan(0);
    expect(resumed.bytes.downloaded).toBeGreaterThan(0);
    const again = await record({ source, ...window, output: `${output}.2.mp4`, format: 'mp4', tempDir });
    expect(again.bytes.downloaded).toBe(0);
    expect(again.bytes.reused).toBe(resumed.bytes.reused + resumed.bytes.downloaded);
    expect((await readFile(`${output}.2.mp4`)).equals(await readFile(output))).toBe(true);
  });

  it('runs the legacy config file unchanged and prints a JSON summary', async () => {
    const config = join(dir.path, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        start_utc: E0 + 4,
        end_utc: E0 + 8,
        s3_prefix: prefix,
        aws_conf: { aws_region: 'us-east-1', s3_bucket: bucket },
      }),
    );
    const output = join(dir.path, 'out/legacy.ts');
    const run = await runCli([config, output, '--endpoint', s3.endpoint, '--force-path-style', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { ok: boolean; output: string; segments: { video: number } };
    expect(summary).toMatchObject({ ok: true, output, segments: { video: 2, audio: 2 } });
    // Written by our TS writer: video and the AAC encoded from the WAV, interleaved.
    const read = await readTs(await readFile(output));
    expect(read.streams.map((stream) => stream.streamType).sort()).toEqual([0x0f, 0x1b]); // AAC ADTS, H.264
    expect(read.continuityErrorCount).toBe(0);
    // `start` is a keyframe: video starts at its PTS, audio one AAC frame (the encoder's priming) before.
    const firstPts = (pid: number | undefined) => read.pes.find((pes) => pes.pid === pid)?.pts;
    const [videoPid, audioPid] = [0x1b, 0x0f].map(
      (type) => read.streams.find((stream) => stream.streamType === type)?.pid,
    );
    const videoStart = Math.min(
      ...read.pes.filter((pes) => pes.pid === videoPid).map((pes) => pes.pts ?? Number.NaN),
    );
    expect(firstPts(audioPid)).toBe(videoStart - 1920);
    expect(await ffmpegDecodeWarnings(output)).toBe('');
    const probed = await probe(output);
    expect(probed.streams.map((stream) => stream.codec_name).sort()).toEqual(['aac', 'h264']);
  });

  it('reports bad configs and arguments with exit code 2', async () => {
    const config = join(dir.path, 'bad-config.json');
    await writeFile(
      config,
      JSON.stringify({ start_utc: 'soon', s3_prefix: '', aws_conf: { aws_region: 'x' } }),
    );
    const bad = await runCli([config, join(dir.path, 'x.ts')]);
    expect(bad.code).toBe(2);
    // Every bad field, in one line with the code.
    expect(errorLines(bad)).toEqual([
      `recorder: Config ${config} is invalid: end_utc: Invalid input; ` +
        's3_prefix: Too small: expected string to have >=1 characters; ' +
        'aws_conf.s3_bucket: Invalid input: expected string, received undefined [BAD_CONFIG]',
    ]);
    const times = await runCli([
      '--bucket',
      bucket,
      '--prefix',
      prefix,
      '--start',
      'noon',
      '--end',
      '1',
      '-o',
      'x.mp4',
    ]);
    expect(times.code).toBe(2);
    expect(errorLines(times)).toEqual([
      'recorder: Invalid `start`: Cannot read time "noon": expected Unix seconds (10 digits), milliseconds (13 digits) or ISO-8601 with a zone [BAD_ARGUMENTS]',
    ]);
  });

  it('exits 3 when the window holds no segment', async () => {
    const run = await runCli([
      ...['--bucket', bucket, '--prefix', prefix, '--endpoint', s3.endpoint, '--force-path-style'],
      ...['--start', String(E0 + 5000), '--end', String(E0 + 5100), '-o', join(dir.path, 'none.mp4')],
    ]);
    expect(run.code).toBe(3);
    expect(errorLines(run)).toEqual([
      'recorder: No segments in s3://cams/recordings/cam01 between 2023-11-14T23:36:40.000Z and 2023-11-14T23:38:20.000Z [NOTHING_IN_WINDOW]',
    ]);
  });

  it('names the bucket when it does not exist, and never prints the secret', async () => {
    const args = ['--prefix', prefix, '--endpoint', s3.endpoint, '--force-path-style'];
    const window = ['--start', String(E0 + 4), '--end', String(E0 + 6), '-o', join(dir.path, 'x.mp4')];
    const unknown = await runCli(['--bucket', 'no-such-bucket', ...args, ...window]);
    expect(unknown.code).toBe(1);
    // Both kinds are listed at once: the first to fail names its directory.
    expect(errorLines(unknown)).toEqual([
      expect.stringMatching(
        /^recorder: Bucket "no-such-bucket" does not exist \(listing s3:\/\/no-such-bucket\/recordings\/cam01\/00\/(video|audio)\/\) \[NO_SUCH_BUCKET\]$/,
      ),
    ]);
    const denied = await runCli(['--bucket', bucket, ...args, ...window], {
      AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN',
      AWS_SECRET_ACCESS_KEY: 'very-secret-value',
    });
    expect(denied.code).toBe(1);
    expect(errorLines(denied)).toEqual([
      expect.stringMatching(
        /^recorder: The S3 credentials were rejected \(InvalidAccessKeyId\) while listing s3:\/\/cams\/recordings\/cam01\/00\/(video|audio)\/: check the access key id and secret \[INVALID_CREDENTIALS\]$/,
      ),
    ]);
    expect(denied.stderr).not.toContain('very-secret-value');
  });

  it('exits 2 (config) when there are no credentials at all, and says so', async () => {
    const args = ['--bucket', bucket, '--prefix', prefix, '--endpoint', s3.endpoint, '--force-path-style'];
    const window = ['--start', String(E0 + 4), '--end', String(E0 + 6), '-o', join(dir.path, 'x.mp4')];
    const missing = join(dir.path, 'no-such-aws-file');
    const bare = await runCli([...args, ...window], {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: missing,
      AWS_SHARED_CREDENTIALS_FILE: missing,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(bare.code).toBe(2);
    expect(errorLines(bare)).toEqual([
      expect.stringMatching(
        /^recorder: No AWS credentials found while listing s3:\/\/cams\/.*\[S3_NO_CREDENTIALS\]$/,
      ),
    ]);
    expect(existsSync(join(dir.path, 'x.mp4'))).toBe(false);
  });

  it('rejects a corrupt .h264 segment naming its key', async () => {
    const badPrefix = 'recordings/corrupt';
    const garbage = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251);
    await s3.putObjects(bucket, [
      [`${badPrefix}/00/video/${E0}.h264`, garbage],
      [`${badPrefix}/00/video/${E0 + 2}.h264`, garbage],
    ]);
    const run = await runCli([
      ...['--bucket', bucket, '--prefix', badPrefix, '--endpoint', s3.endpoint, '--force-path-style'],
      ...['--start', String(E0), '--end', String(E0 + 4), '-o', join(dir.path, 'corrupt.ts')],
    ]);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      `recorder: ${badPrefix}/00/video/${E0}.h264 at byte 0 (0x0): none of the 2 segments has a decodable picture; this one: no start code (00 00 01) in the input [ES_INVALID_STREAM]`,
    ]);
    expect(run.stderr).not.toContain('rec-recorder-');
    await expect(stat(join(dir.path, 'corrupt.ts'))).rejects.toThrow();
  });

  it('rejects a WAV chunk with another sample rate naming both files', async () => {
    const mixed = join(dir.path, 'mixed');
    const mixedPrefix = 'recordings/mixed';
    await makeAudioSegments({
      dir: mixed,
      camera: mixedPrefix,
      startEpoch: E0,
      count: 1,
      sampleRate: 48_000,
    });
    await makeAudioSegments({
      dir: mixed,
      camera: mixedPrefix,
      startEpoch: E0 + 2,
      count: 1,
      sampleRate: 44_100,
    });
    const objects: [string, Uint8Array][] = [];
    for await (const file of files(mixed)) objects.push([relative(mixed, file), await readFile(file)]);
    await s3.putObjects(bucket, objects);
    const run = await runCli([
      ...['--bucket', bucket, '--prefix', mixedPrefix, '--endpoint', s3.endpoint, '--force-path-style'],
      ...['--start', String(E0), '--end', String(E0 + 4), '-o', join(dir.path, 'mixed.mp4')],
    ]);
    expect(run.code).toBe(1);
    // Named by their S3 keys, not by their paths in the job directory.
    expect(run.stderr.split('\n').filter((line) => line.startsWith('recorder:'))).toEqual([
      `recorder: WAV chunks differ in format: ${mixedPrefix}/00/audio/${E0}.wav is 48000 Hz, 1 ch, s16le, ` +
        `${mixedPrefix}/00/audio/${E0 + 2}.wav is 44100 Hz, 1 ch, s16le [WAV_FORMAT_MISMATCH]`,
    ]);
  });
});
