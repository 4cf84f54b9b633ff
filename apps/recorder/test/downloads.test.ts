/**
 * How the recorder downloads (issue 9 item 9): audio and video side by
 * side, so that a stalled audio segment never holds the video back, and the
 * retries each cause needed in the summary.
 */
import { join } from 'node:path';
import {
  type HttpTestServer,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  type S3TestServer,
  s3rverCredentials,
  startHttpServer,
  startS3Server,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, record } from '../src/index.js';
import { treeObjects } from './helpers/media.js';
import { runCli } from './helpers/runCli.js';

const E0 = 1_700_000_000;
const bucket = 'downloads';
const prefix = 'recordings/cam51';
const count = 6;
const window = { start: E0 + 0.5, end: E0 + 2 * count - 0.5 };
const stalledAudio = `/${bucket}/${prefix}/00/audio/${E0 + 4}.wav`;

describe('recorder downloads', () => {
  let s3: S3TestServer;
  let dir: TempDir;
  let proxy: HttpTestServer | undefined;
  const source = (endpoint: string): RecordOptions['source'] => ({
    type: 's3',
    bucket,
    prefix,
    endpoint,
    forcePathStyle: true,
    credentials: s3rverCredentials,
  });

  beforeAll(async () => {
    s3 = await startS3Server();
    dir = await makeTempDir();
    const media = join(dir.path, 'media');
    await makeVideoSegments({ dir: media, camera: prefix, startEpoch: E0, count });
    await makeAudioSegments({ dir: media, camera: prefix, startEpoch: E0, count });
    await s3.createBucket(bucket);
    await s3.putObjects(bucket, await treeObjects(media));
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await s3?.stop();
    await dir?.remove();
  });

  it('a stalled audio segment does not hold the video downloads back', async () => {
    // One audio GET answers after 3 s (within the client's 5-s idle limit: no retry).
    const stall = await startHttpServer({
      upstream: s3.endpoint,
      faults: [{ path: stalledAudio, method: 'GET', fault: { kind: 'delay', ms: 3000 }, times: 1 }],
    });
    proxy = stall;
    const summary = await record({
      source: source(stall.url),
      ...window,
      output: join(dir.path, 'stalled.ts'),
      concurrency: 2,
    });
    expect(summary.segments).toEqual({ video: count, audio: count });
    const gets = stall.requests.filter((request) => request.method === 'GET');
    const stalled = gets.find((request) => request.path === stalledAudio);
    const videoGets = gets.filter((request) => request.path.includes('/00/video/'));
    expect(videoGets).toHaveLength(count);
    // Every video segment was on its way and done while the audio one was held.
    for (const request of videoGets)
      expect(request.finishedAt ?? Infinity).toBeLessThan(stalled?.finishedAt ?? 0);
    await stall.stop();
    proxy = undefined;
  });

  it('counts the retries per cause in the --json summary', async () => {
    const throttling = await startHttpServer({
      upstream: s3.endpoint,
      faults: [
        {
          path: /\/00\/video\//,
          method: 'GET',
          fault: { kind: 'status', status: 503, code: 'SlowDown' },
          times: 2,
        },
        { path: /\/00\/audio\//, method: 'GET', fault: { kind: 'reset', afterBytes: 100 }, times: 1 },
      ],
    });
    proxy = throttling;
    const run = await runCli([
      ...['--bucket', bucket, '--prefix', prefix, '--endpoint', throttling.url, '--force-path-style'],
      ...['--start', String(window.start), '--end', String(window.end), '-o', join(dir.path, 'retried.ts')],
      ...['--temp-dir', join(dir.path, 'tmp-retried'), '--json'],
    ]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { retries: Record<string, number> };
    expect(summary.retries).toEqual({
      total: 3,
      throttled: 2,
      serverError: 0,
      timeout: 0,
      connectionReset: 1,
      network: 0,
      truncatedBody: 0,
      corruptBody: 0,
    });
    await throttling.stop();
    proxy = undefined;
  });
});
