import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  type Fault,
  type FaultKind,
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
  listSegments,
  S3RetryCause,
  type Segment,
} from '../../src/index.js';

const T = 1700000000;
const bucket = 'faulty';
const count = 40;
let s3: S3TestServer;
let tmp: TempDir;
let proxy: HttpTestServer | undefined;
let segments: Segment[];
const bodies = new Map<string, Buffer>();

/** A client through `proxy`, with a short idle timeout so stalled bodies cost little. */
const clientThrough = (server: HttpTestServer) =>
  createS3Client({
    endpoint: server.url,
    forcePathStyle: true,
    credentials: { ...s3rverCredentials },
    socketTimeout: 1000, // above what a loaded 2-core CI machine takes to answer a clean request
  });

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket(bucket);
  const objects: [string, Buffer][] = [];
  for (let i = 0; i < count; i++) {
    const key = `cam/00/video/${T + 2 * i}.h264`;
    const body = randomBytes(20_000 + ((i * 7919) % 60_000));
    bodies.set(key, body);
    objects.push([key, body]);
  }
  await s3.putObjects(bucket, objects);
  segments = [];
  for await (const s of listSegments({
    client: s3.client,
    bucket,
    prefix: 'cam',
    window: { start: T, end: T + 2 * count },
  }))
    segments.push(s);
});

afterAll(async () => {
  await s3?.stop();
});

afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  await tmp?.remove();
});

describe('downloads through a seeded fault injector', () => {
  // What each fault becomes on the client side.
  const causeOf: Partial<Record<FaultKind, S3RetryCause>> = {
    status: S3RetryCause.Throttled,
    reset: S3RetryCause.ConnectionReset,
    truncate: S3RetryCause.ConnectionReset,
    stall: S3RetryCause.Timeout,
    short: S3RetryCause.TruncatedBody,
    corrupt: S3RetryCause.CorruptBody,
  };
  const kinds: Fault[] = [
    { kind: 'status', status: 503 },
    { kind: 'reset' },
    { kind: 'truncate' },
    { kind: 'stall', afterBytes: 1000 },
    { kind: 'short' },
    { kind: 'corrupt', at: 100 },
  ];

  it('gets every file byte-identical at 30% faults, and counts each retry by cause', async () => {
    proxy = await startHttpServer({
      upstream: s3.endpoint,
      seeded: { seed: 20261201, probability: 0.3, kinds, methods: ['GET'] },
    });
    const client = clientThrough(proxy);
    tmp = await makeTempDir();
    const stats = createS3Stats();
    const result = await downloadSegments({
      client,
      bucket,
      segments,
      dir: tmp.path,
      concurrency: 8,
      retryDelay: 1,
      stats,
    });
    client.destroy();
    for (const file of result.files) {
      expect((await readFile(file.path)).equals(bodies.get(file.segment.key)!), file.segment.key).toBe(true);
    }
    // Every damaged answer was retried (at most 2 faults per request, and 3 + 3 attempts): one retry each.
    const faulted = proxy.requests.filter((r) => r.fault !== undefined);
    expect(faulted.length).toBeGreaterThan(8);
    const expected = Object.fromEntries(Object.values(S3RetryCause).map((cause) => [cause, 0]));
    for (const r of faulted) expected[causeOf[r.fault!]!]!++;
    expect(stats.retries).toEqual({ total: faulted.length, ...expected });
    expect(stats.requests.GetObject).toBe(proxy.requests.length);
    expect(result.requests).toBe(proxy.requests.length);
  });

  it('says what each attempt met when an object cannot be had', async () => {
    const segment = segments[3]!;
    const path = `/${bucket}/${segment.key}`;
    // One fault per request, in this order: the SDK retries the two 503s, we retry the bodies.
    const sequence: Fault[] = [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'reset' },
      { kind: 'short' },
    ];
    proxy = await startHttpServer({
      upstream: s3.endpoint,
      faults: sequence.map((fault) => ({ path, method: 'GET', fault, times: 1 })),
    });
    const client = clientThrough(proxy);
    tmp = await makeTempDir();
    const stats = createS3Stats();
    const error = await downloadSegments({
      client,
      bucket,
      segments: [segment],
      dir: tmp.path,
      retries: 1,
      retryDelay: 1,
      stats,
    }).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    client.destroy();
    expect(error).toMatchObject({
      name: 'S3SegmentsError',
      code: 'DOWNLOAD_FAILED',
      bucket,
      key: segment.key,
    });
    expect(error?.message).toBe(
      `Download of s3://${bucket}/${segment.key} from ${proxy.url} failed after 4 attempts: ` +
        `503 SlowDown x2, connection reset x1, truncated body x1 ` +
        `(last: received ${segment.size >> 1} bytes, the listing says ${segment.size})`,
    );
    expect(proxy.requests.map((r) => r.fault)).toEqual(['status', 'status', 'reset', 'short']);
    expect(stats.retries).toMatchObject({ total: 3, throttled: 2, connectionReset: 1, truncatedBody: 0 });
  });

  it('abandons a body that trickles below the minimum speed, and retries it', async () => {
    const segment = segments[5]!;
    proxy = await startHttpServer({
      upstream: s3.endpoint,
      faults: [
        {
          path: `/${bucket}/${segment.key}`,
          method: 'GET',
          fault: { kind: 'slow', bytesPerSecond: 2000 },
          times: 1,
        },
      ],
    });
    // A byte every few ms never trips the idle timeout; the attempt's time budget does.
    const client = createS3Client({
      endpoint: proxy.url,
      forcePathStyle: true,
      credentials: { ...s3rverCredentials },
    });
    tmp = await makeTempDir();
    const stats = createS3Stats();
    const started = performance.now();
    // 10 s + size / minSpeed: with minSpeed at 1e9 the allowance is the 10 s alone.
    const result = await downloadSegments({
      client,
      bucket,
      segments: [segment],
      dir: tmp.path,
      minSpeed: 1e9,
      retryDelay: 1,
      stats,
    });
    client.destroy();
    expect((performance.now() - started) / 1000).toBeGreaterThan(9.5);
    expect((await readFile(result.files[0]!.path)).equals(bodies.get(segment.key)!)).toBe(true);
    expect(stats.retries).toMatchObject({ total: 1, timeout: 1 });
  });
});
