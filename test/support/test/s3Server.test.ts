import { randomBytes } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3TestServer, startS3Server } from '../src/index.js';

describe('S3 test server (s3rver over HTTP, AWS SDK v3)', () => {
  let s3: S3TestServer;
  const bucket = 'harness';
  const keys = Array.from({ length: 25 }, (_, i) => `cam/00/video/${1_700_000_000 + 2 * i}.h264`);

  beforeAll(async () => {
    s3 = await startS3Server();
    await s3.createBucket(bucket);
    await s3.putObjects(
      bucket,
      keys.map((key, i) => [key, `segment ${i}`]),
    );
  });
  afterAll(() => s3.stop());

  it('lists with StartAfter and follows continuation tokens page by page', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page: ListObjectsV2CommandOutput = await s3.client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: 'cam/00/video/',
          StartAfter: keys[9],
          MaxKeys: 4,
          ContinuationToken: token,
        }),
      );
      pages++;
      seen.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    expect(seen).toEqual(keys.slice(10));
    expect(pages).toBe(4); // 15 keys in pages of 4
  });

  it('answers ranged GETs with exactly the requested bytes', async () => {
    const response = await s3.client.send(
      new GetObjectCommand({ Bucket: bucket, Key: keys[3], Range: 'bytes=2-6' }),
    );
    expect(response.ContentRange).toBe('bytes 2-6/9');
    expect(await response.Body?.transformToString()).toBe('gment');
  });

  it('reports size and ETag with HEAD', async () => {
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: keys[0] }));
    expect(head.ContentLength).toBe('segment 0'.length);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('stores a 20 MB multipart upload byte for byte', async () => {
    const body = randomBytes(20 * 1024 * 1024);
    const parts: number[] = [];
    const upload = new Upload({
      client: s3.client,
      params: { Bucket: bucket, Key: 'big/object.bin', Body: body },
      partSize: 5 * 1024 * 1024,
    });
    upload.on('httpUploadProgress', (progress) => parts.push(progress.part ?? 0));
    await upload.done();
    expect(new Set(parts).size).toBe(4);
    const back = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'big/object.bin' }));
    const bytes = Buffer.from(await back.Body!.transformToByteArray());
    expect(bytes.length).toBe(body.length);
    expect(bytes.equals(body)).toBe(true);
  });
});
