import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTs, StreamType } from '@rec/es-ts';
import {
  ffmpegDecodeWarnings,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  probe,
  type S3TestServer,
  startS3Server,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, record } from '../src/index.js';
import { silences, treeObjects } from './helpers/media.js';

const E0 = 1_700_000_000;
const bucket = 'cams';
const prefix = 'recordings/cam09';
const aacFrame = 1024 / 48_000;
// 5 segments of 2 s; the AAC segment E0+4 is missing. AAC segments are cut
// from one continuous encode at frame boundaries: their real starts are not
// the whole seconds their names say.
const missingAudio = E0 + 4;
const window = { start: E0 + 1.3, end: E0 + 8.7 };

describe('recorder: AAC (.aac) audio segments, joined without re-encoding', () => {
  let s3: S3TestServer;
  let dir: TempDir;
  let source: RecordOptions['source'];

  beforeAll(async () => {
    s3 = await startS3Server();
    dir = await makeTempDir();
    const media = join(dir.path, 'media');
    await makeVideoSegments({ dir: media, camera: prefix, startEpoch: E0, count: 5, bframes: 3 });
    await makeAudioSegments({
      dir: media,
      camera: prefix,
      startEpoch: E0,
      count: 5,
      codec: 'aac',
      skip: [missingAudio],
    });
    await s3.createBucket(bucket);
    await s3.putObjects(bucket, await treeObjects(media));
    source = { type: 's3', bucket, prefix, region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  }, 120_000);
  afterAll(async () => {
    await s3?.stop();
    await dir?.remove();
  });

  it('writes an MP4 whose AAC starts at `start`, lasts the window and is silent only where the segment is missing', async () => {
    const output = join(dir.path, 'aac.mp4');
    const summary = await record({ source, ...window, output, format: 'mp4', resume: false });
    expect(summary.segments).toEqual({ video: 5, audio: 4 });
    // Nothing was encoded: the AAC frames are the segments' own.
    expect(summary.timings.encode ?? 0).toBe(0);
    expect(summary.audio?.silenceSeconds).toBeGreaterThan(2 - 2 * aacFrame);
    expect(summary.audio?.silenceSeconds).toBeLessThan(2 + 2 * aacFrame);
    const probed = await probe(output);
    const audio = probed.streams.find((stream) => stream.codec_type === 'audio');
    const video = probed.streams.find((stream) => stream.codec_type === 'video');
    expect(audio?.codec_name).toBe('aac');
    expect(Number(audio?.start_time)).toBe(0);
    // The window exactly: the edit lists cut both tracks at `start` and `end`.
    expect([probed.format.duration, video?.duration, audio?.duration]).toEqual([
      '7.400000',
      '7.400000',
      '7.400000',
    ]);
    expect(await ffmpegDecodeWarnings(output)).toBe('');
    // The missing segment [E0+4, E0+6) is silence, within a frame or two of its place.
    const quiet = await silences(output);
    expect(quiet).toHaveLength(1);
    expect(quiet[0]?.start).toBeCloseTo(missingAudio - window.start, 1);
    expect(quiet[0]?.end).toBeCloseTo(missingAudio + 2 - window.start, 1);
  }, 60_000);

  it('writes a TS with the AAC next to the video, starting at `start`', async () => {
    const output = join(dir.path, 'aac.ts');
    await record({ source, ...window, output, format: 'ts', resume: false });
    const ts = await readTs(new Uint8Array(await readFile(output)));
    const types = ts.streams.map((stream) => stream.streamType).sort();
    expect(types).toEqual([StreamType.H264, StreamType.AacAdts].sort());
    expect(ts.continuityErrors).toEqual([]);
    const audioPid = ts.streams.find((stream) => stream.streamType === StreamType.AacAdts)?.pid;
    const videoPid = ts.streams.find((stream) => stream.streamType === StreamType.H264)?.pid;
    const firstAudio = ts.pes.find((pes) => pes.pid === audioPid)?.pts ?? Number.NaN;
    // The first presented video frame is the keyframe at E0 (before start); start is 1.3 s later.
    const videoPts = ts.pes.filter((pes) => pes.pid === videoPid).map((pes) => pes.pts ?? Number.NaN);
    const startPts = Math.min(...videoPts) + (window.start - E0) * 90_000;
    // The first AAC frame is the one that contains `start`.
    expect(startPts - firstAudio).toBeGreaterThanOrEqual(0);
    expect(startPts - firstAudio).toBeLessThan(aacFrame * 90_000);
    expect(await ffmpegDecodeWarnings(output)).toBe('');
  }, 60_000);
});
