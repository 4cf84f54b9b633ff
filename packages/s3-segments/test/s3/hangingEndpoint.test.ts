import { type HttpTestServer, makeTempDir, startHttpServer, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createS3Client,
  createS3Stats,
  downloadSegments,
  listSegments,
  type Segment,
} from '../../src/index.js';

// An endpoint that accepts the connection and the request, and never answers
// (a wedged proxy, a load balancer without backends). It used to take 169 s.
const T = 1700000000;
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzHANGSECRET';
const credentials = { accessKeyId: 'AKIAHANGINGTEST', secretAccessKey: secret };
let hang: HttpTestServer;
let tmp: TempDir;

beforeAll(async () => {
  hang = await startHttpServer({ faults: [{ path: /.*/, fault: { kind: 'hang' } }] });
  tmp = await makeTempDir();
});

afterAll(async () => {
  await hang?.stop();
  await tmp?.remove();
});

/** The first listing step's error, and how long it took. */
async function listFailure(client: ReturnType<typeof createS3Client>) {
  const started = performance.now();
  const error = await listSegments({
    client,
    bucket: 'cams',
    prefix: 'cam01',
    window: { start: T, end: T + 10 },
    kinds: ['video'],
  })
    .next()
    .then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
  return { error, seconds: (performance.now() - started) / 1000 };
}

describe('an endpoint that never answers', () => {
  it('fails a listing in seconds with the default timeouts, naming the endpoint and not the credentials', async () => {
    const client = createS3Client({ endpoint: hang.url, forcePathStyle: true, credentials });
    const before = hang.requests.length;
    const { error, seconds } = await listFailure(client);
    client.destroy();
    // The SDK's 3 attempts, each given up after 5 s without a byte.
    expect(seconds).toBeGreaterThan(14);
    expect(seconds).toBeLessThan(20);
    expect(hang.requests.length - before).toBe(3);
    expect(error).toMatchObject({ name: 'S3SegmentsError', code: 'NETWORK', bucket: 'cams' });
    expect(error?.message).toBe(
      `S3 endpoint ${hang.url} did not answer in time while listing s3://cams/cam01/00/video/ (3 attempts: no byte for 5 s x3)`,
    );
    const shown = `${error?.message}\n${error?.stack}`;
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(credentials.accessKeyId);
  });

  it('fails a download after the SDK attempts, not after our retries times them', async () => {
    const client = createS3Client({
      endpoint: hang.url,
      forcePathStyle: true,
      credentials,
      socketTimeout: 500,
    });
    const segment: Segment = { kind: 'video', key: `cam01/00/video/${T}.h264`, epoch: T, size: 1000 };
    const stats = createS3Stats();
    const before = hang.requests.length;
    const started = performance.now();
    const error = await downloadSegments({
      client,
      bucket: 'cams',
      segments: [segment],
      dir: tmp.path,
      stats,
    }).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    client.destroy();
    expect((performance.now() - started) / 1000).toBeLessThan(4);
    expect(hang.requests.length - before).toBe(3);
    expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', key: segment.key });
    expect(error?.message).toBe(
      `Download of s3://cams/${segment.key} from ${hang.url} failed after 3 attempts: no byte for 500 ms x3`,
    );
    // Two of the three were retries; the last one ended the download.
    expect(stats.retries).toMatchObject({ total: 2, timeout: 2 });
    expect(stats.requests.GetObject).toBe(3);
  });
});
