import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type FaultRule,
  type HttpTestServer,
  makeTempDir,
  type S3TestServer,
  s3rverCredentials,
  startHttpServer,
  startS3Server,
  type TempDir,
} from '@rec/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createS3Client,
  createS3Stats,
  downloadSegments,
  downloadStateFile,
  listSegments,
  S3SegmentsError,
  type Segment,
  type TransferProgress,
} from '../../src/index.js';

const T = 1700000000;
const bucket = 'segments';
let s3: S3TestServer;
let tmp: TempDir;
const bodies = new Map<string, Buffer>();

/** Lists `count` segments of `camera` from S3 (so sizes and ETags are the server's). */
async function segmentsOf(camera: string, count: number): Promise<Segment[]> {
  const segments: Segment[] = [];
  const window = { start: T, end: T + 2 * count };
  for await (const s of listSegments({ client: s3.client, bucket, prefix: camera, window })) segments.push(s);
  return segments;
}

async function expectFilesMatch(dir: string, segments: readonly Segment[]) {
  for (const segment of segments) {
    const name = segment.key.slice(segment.key.lastIndexOf('/') + 1);
    const bytes = await readFile(join(dir, segment.kind, name));
    expect(bytes.equals(bodies.get(segment.key)!), segment.key).toBe(true);
  }
}

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket(bucket);
  const objects: [string, Buffer][] = [];
  for (const camera of ['cam-a', 'cam-b', 'cam-c']) {
    for (let i = 0; i < 30; i++) {
      const kind = i % 3 === 2 ? 'audio' : 'video';
      const key = `${camera}/00/${kind}/${T + 2 * i}.${kind === 'video' ? 'h264' : 'wav'}`;
      const body = randomBytes(camera === 'cam-b' ? 96 * 1024 : 1000 + ((i * 7919) % 150_000));
      bodies.set(key, body);
      objects.push([key, body]);
    }
  }
  // Bodies of many chunks, to abort in the middle of one.
  for (let i = 0; i < 8; i++) {
    const key = `cam-d/00/video/${T + 2 * i}.h264`;
    const body = randomBytes(512 * 1024);
    bodies.set(key, body);
    objects.push([key, body]);
  }
  await s3.putObjects(bucket, objects);
});

afterAll(async () => {
  await s3?.stop();
});

afterEach(async () => {
  await tmp?.remove();
});

describe('downloadSegments', () => {
  it('downloads 30 objects in parallel, byte-identical, with progress and a resume state', async () => {
    tmp = await makeTempDir();
    const segments = await segmentsOf('cam-a', 30);
    expect(segments).toHaveLength(30);
    const progress: TransferProgress[] = [];
    const result = await downloadSegments({
      client: s3.client,
      bucket,
      segments,
      dir: tmp.path,
      concurrency: 8,
      onProgress: (p) => progress.push(p),
    });
    const total = segments.reduce((sum, s) => sum + s.size, 0);
    expect(result.requests).toBe(30);
    expect(result.bytesDownloaded).toBe(total);
    expect(result.bytesSkipped).toBe(0);
    expect(result.files.map((f) => f.segment)).toEqual(segments);
    expect(result.files.every((f) => !f.skipped && f.bytes === f.segment.size)).toBe(true);
    expect(result.files[0]?.path).toBe(join(tmp.path, 'video', `${T}.h264`));
    await expectFilesMatch(tmp.path, segments);
    expect(progress.at(-1)).toEqual({
      transferred: total,
      total,
      percent: 1,
      unit: 'bytes',
      files: 30,
      filesTotal: 30,
    });
    expect(progress.every((p) => p.percent >= 0 && p.percent <= 1)).toBe(true);
    expect(progress.every((p, i) => i === 0 || p.transferred >= progress[i - 1]!.transferred)).toBe(true);
    const state = JSON.parse(await readFile(join(tmp.path, downloadStateFile), 'utf8'));
    expect(Object.keys(state.files)).toHaveLength(30);
    expect(state.files[segments[0]!.key]).toEqual({
      size: segments[0]!.size,
      etag: segments[0]!.etag,
      path: `video/${T}.h264`,
    });
    const video = await readdir(join(tmp.path, 'video'));
    expect(video.filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('rejects with the reason when a progress listener aborts while a body is streaming', async () => {
    tmp = await makeTempDir();
    const segments = await segmentsOf('cam-d', 8);
    const controller = new AbortController();
    const reason = new Error('stopped mid-body');
    const run = downloadSegments({
      // Our client (keep-alive agent), as the recorder uses it.
      client: createS3Client({
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: s3rverCredentials,
      }),
      bucket,
      segments,
      dir: tmp.path,
      concurrency: 2,
      signal: controller.signal,
      // Called from inside the byte counter of a body in flight.
      onProgress: (p) => {
        if (p.files > 0 && p.transferred > p.total * 0.3) controller.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
    const video = await readdir(join(tmp.path, 'video'));
    expect(video.filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('resumes after an abort: only the missing files are fetched again', async () => {
    tmp = await makeTempDir();
    const segments = await segmentsOf('cam-b', 30);
    const controller = new AbortController();
    const reason = new Error('stopped by the user');
    const stats = createS3Stats();
    const first = downloadSegments({
      client: s3.client,
      bucket,
      segments,
      dir: tmp.path,
      concurrency: 2,
      signal: controller.signal,
      stats,
      onProgress: (p) => {
        if (p.files >= 10) controller.abort(reason);
      },
    });
    await expect(first).rejects.toBe(reason);
    const state = JSON.parse(await readFile(join(tmp.path, downloadStateFile), 'utf8'));
    const done = Object.keys(state.files);
    expect(done.length).toBeGreaterThanOrEqual(10);
    expect(done.length).toBeLessThan(30);
    expect(stats.requests.GetObject).toBeLessThan(30);
    // Every recorded file is complete; nothing partial is recorded.
    await expectFilesMatch(
      tmp.path,
      segments.filter((s) => done.includes(s.key)),
    );
    expect(done.some((key) => key.endsWith('.part'))).toBe(false);

    // A leftover .part of a missing file, and a recorded file deleted since, are both fetched.
    const missing = segments.find((s) => !done.includes(s.key))!;
    await writeFile(join(tmp.path, missing.kind, `${missing.key.split('/').at(-1)}.part`), 'partial');
    const deleted = segments.find((s) => done.includes(s.key))!;
    await rm(join(tmp.path, deleted.kind, deleted.key.split('/').at(-1)!));

    const second = await downloadSegments({
      client: s3.client,
      bucket,
      segments,
      dir: tmp.path,
      concurrency: 4,
    });
    expect(second.requests).toBe(30 - done.length + 1);
    expect(second.files.filter((f) => f.skipped)).toHaveLength(done.length - 1);
    expect(second.files.find((f) => f.segment.key === deleted.key)?.skipped).toBe(false);
    expect(second.bytesSkipped + second.bytesDownloaded).toBe(30 * 96 * 1024);
    await expectFilesMatch(tmp.path, segments);

    // A third run fetches nothing.
    const third = await downloadSegments({ client: s3.client, bucket, segments, dir: tmp.path });
    expect(third.requests).toBe(0);
    expect(third.bytesSkipped).toBe(30 * 96 * 1024);
  });

  describe('through a proxy that damages responses', () => {
    let proxy: HttpTestServer;
    let client: ReturnType<typeof createS3Client>;
    const key = (i: number, kind = 'video') =>
      `cam-c/00/${kind}/${T + 2 * i}.${kind === 'video' ? 'h264' : 'wav'}`;
    const faults: FaultRule[] = [
      { path: `/${bucket}/${key(0)}`, method: 'GET', fault: { kind: 'reset' }, times: 1 },
      { path: `/${bucket}/${key(2, 'audio')}`, method: 'GET', fault: { kind: 'short' }, times: 1 },
      { path: `/${bucket}/${key(3)}`, method: 'GET', fault: { kind: 'corrupt' } },
      { path: `/${bucket}/${key(5, 'audio')}`, method: 'GET', fault: { kind: 'status', status: 403 } },
    ];
    /** GETs the proxy saw for one key. */
    const gets = (objectKey: string) =>
      proxy.requests.filter((r) => r.method === 'GET' && r.path === `/${bucket}/${objectKey}`).length;

    beforeAll(async () => {
      proxy = await startHttpServer({ upstream: s3.endpoint, faults });
      client = createS3Client({
        region: 'us-east-1',
        endpoint: proxy.url,
        forcePathStyle: true,
        credentials: { ...s3rverCredentials },
        maxAttempts: 1,
      });
    });

    afterAll(async () => {
      client?.destroy();
      await proxy?.stop();
    });

    it('retries a body cut short (connection reset, or a short Content-Length)', async () => {
      tmp = await makeTempDir();
      const segments = (await segmentsOf('cam-c', 30)).filter(
        (s) => s.key !== key(3) && s.key !== key(5, 'audio'),
      );
      const result = await downloadSegments({ client, bucket, segments, dir: tmp.path, retryDelay: 1 });
      expect(gets(key(0))).toBe(2);
      expect(gets(key(2, 'audio'))).toBe(2);
      expect(result.requests).toBe(segments.length + 2);
      await expectFilesMatch(tmp.path, segments);
    });

    it('gives up on an ETag mismatch after the retries, naming the key', async () => {
      tmp = await makeTempDir();
      const segments = (await segmentsOf('cam-c', 30)).filter((s) => s.key === key(3) || s.key === key(4));
      const error = await downloadSegments({
        client,
        bucket,
        segments,
        dir: tmp.path,
        retries: 2,
        retryDelay: 1,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(S3SegmentsError);
      expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', bucket, key: key(3) });
      expect((error as Error).message).toContain(`s3://${bucket}/${key(3)}`);
      expect((error as Error).message).toMatch(/MD5 [0-9a-f]{32} differs from ETag [0-9a-f]{32}/);
      expect(gets(key(3))).toBe(3);
      expect((await readdir(join(tmp.path, 'video'))).filter((name) => name.startsWith(`${T + 6}`))).toEqual(
        [],
      );
      const state = JSON.parse(
        await readFile(join(tmp.path, downloadStateFile), 'utf8').catch(() => '{"files":{}}'),
      );
      expect(Object.keys(state.files)).not.toContain(key(3));
    });

    it('reports a 403 as ACCESS_DENIED without retrying', async () => {
      tmp = await makeTempDir();
      const segments = (await segmentsOf('cam-c', 30)).filter((s) => s.key === key(5, 'audio'));
      const error = await downloadSegments({ client, bucket, segments, dir: tmp.path, retryDelay: 1 }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({
        name: 'S3SegmentsError',
        code: 'ACCESS_DENIED',
        bucket,
        key: key(5, 'audio'),
      });
      expect((error as Error).message).toContain(`s3://${bucket}/${key(5, 'audio')}`);
      expect(gets(key(5, 'audio'))).toBe(1);
    });
  });

  it('maps a missing object to OBJECT_NOT_FOUND without retrying, and a missing bucket to NO_SUCH_BUCKET', async () => {
    tmp = await makeTempDir();
    const stats = createS3Stats();
    const ghost: Segment = {
      kind: 'video',
      key: 'cam-a/00/video/1600000000.h264',
      epoch: 1600000000,
      size: 5,
    };
    const notFound = await downloadSegments({
      client: s3.client,
      bucket,
      segments: [ghost],
      dir: tmp.path,
      stats,
    }).catch((caught: unknown) => caught);
    expect(notFound).toMatchObject({ code: 'OBJECT_NOT_FOUND', bucket, key: ghost.key });
    expect(stats.requests.GetObject).toBe(1);
    const noBucket = await downloadSegments({
      client: s3.client,
      bucket: 'missing-bucket',
      segments: [ghost],
      dir: tmp.path,
    }).catch((caught: unknown) => caught);
    expect(noBucket).toMatchObject({ code: 'NO_SUCH_BUCKET', bucket: 'missing-bucket' });
    expect((noBucket as Error).message).toContain('"missing-bucket"');
  });

  it('validates its options', async () => {
    const bad = downloadSegments({ client: s3.client, bucket, segments: [], dir: '/tmp', concurrency: 0 });
    await expect(bad).rejects.toBeInstanceOf(TypeError);
    await expect(bad).rejects.toThrow(
      'Expected `concurrency` to be an integer from 1 and up, got `0` (number)',
    );
    const hostile: Segment = { kind: 'video', key: 'a/00/video/..', epoch: T, size: 1 };
    await expect(
      downloadSegments({ client: s3.client, bucket, segments: [hostile], dir: '/tmp/x' }),
    ).rejects.toThrow(TypeError);
    const twins: Segment[] = [
      { kind: 'video', key: 'a/00/video/1700000000.h264', epoch: T, size: 1 },
      { kind: 'video', key: 'b/00/video/1700000000.h264', epoch: T, size: 1 },
    ];
    await expect(
      downloadSegments({ client: s3.client, bucket, segments: twins, dir: '/tmp/x' }),
    ).rejects.toMatchObject({
      code: 'NAME_COLLISION',
    });
  });
});

describe('md5 sanity', () => {
  it('s3rver ETags are the MD5 of the body', async () => {
    const [segment] = await segmentsOf('cam-a', 1);
    expect(segment?.etag).toBe(createHash('md5').update(bodies.get(segment!.key)!).digest('hex'));
  });
});
