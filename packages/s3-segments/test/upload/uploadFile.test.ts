import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { Progress } from '@rec/core';
import { makeTempDir, type S3TestServer, startS3Server, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseS3Url, S3SegmentsError, uploadFile } from '../../src/index.js';
import { logRequests } from '../helpers/requestLog.js';

let s3: S3TestServer;
let tmp: TempDir;
let file: string;
const body = randomBytes(20 * 1024 * 1024);

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('out');
  tmp = await makeTempDir();
  file = join(tmp.path, 'recording.mp4');
  await writeFile(file, body);
});

afterAll(async () => {
  await tmp?.remove();
  await s3?.stop();
});

describe('uploadFile', () => {
  it('uploads 20 MB in 8 MiB parts and reads back the same bytes', async () => {
    const log = logRequests(s3.client);
    const progress: Progress[] = [];
    const result = await uploadFile({
      client: s3.client,
      bucket: 'out',
      key: 'recordings/cam01/1700000000-1700000300.mp4',
      file,
      contentType: 'video/mp4',
      onProgress: (p) => {
        expect(p.total).toBe(body.length);
        progress.push(p);
      },
    });
    s3.client.middlewareStack.remove('testRequestLog');
    expect(result).toMatchObject({
      bucket: 'out',
      key: 'recordings/cam01/1700000000-1700000300.mp4',
      bytes: body.length,
    });
    // CreateMultipartUpload, 3 x UploadPart (8 + 8 + 4 MiB), CompleteMultipartUpload.
    expect(log.filter((r) => r.method === 'PUT' && r.query.partNumber !== undefined)).toHaveLength(3);
    expect(progress.at(-1)).toEqual({
      transferred: body.length,
      total: body.length,
      percent: 1,
      unit: 'bytes',
    });

    const object = await s3.client.send(new GetObjectCommand({ Bucket: 'out', Key: result.key }));
    expect(object.ContentType).toBe('video/mp4');
    const read = Buffer.from(await object.Body!.transformToByteArray());
    expect(read.length).toBe(body.length);
    expect(read.equals(body)).toBe(true);
  });

  it('aborts with the signal reason and leaves no object', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const upload = uploadFile({
      client: s3.client,
      bucket: 'out',
      key: 'aborted.mp4',
      file,
      queueSize: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });
    await expect(upload).rejects.toBe(reason);
    await expect(
      s3.client.send(new HeadObjectCommand({ Bucket: 'out', Key: 'aborted.mp4' })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('names the bucket when it does not exist, and a missing file', async () => {
    await expect(uploadFile({ client: s3.client, bucket: 'nowhere', key: 'k', file })).rejects.toMatchObject({
      code: 'NO_SUCH_BUCKET',
      bucket: 'nowhere',
    });
    await expect(
      uploadFile({ client: s3.client, bucket: 'out', key: 'k', file: join(tmp.path, 'none') }),
    ).rejects.toMatchObject({
      code: 'LOCAL_IO',
    });
  });
});

describe('parseS3Url', () => {
  it.each([
    ['s3://bucket/key.mp4', { bucket: 'bucket', key: 'key.mp4' }],
    ['s3://my.bucket-1/a/b c/d.mp4', { bucket: 'my.bucket-1', key: 'a/b c/d.mp4' }],
    ['S3://bucket', { bucket: 'bucket', key: '' }],
    ['s3://bucket/', { bucket: 'bucket', key: '' }],
  ])('%s', (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });

  it.each(['https://bucket/key', 's3://', 's3:///key', '/local/path.mp4', 's3://b/key'])(
    'rejects %s',
    (url) => {
      let error: unknown;
      try {
        parseS3Url(url);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(S3SegmentsError);
      expect((error as S3SegmentsError).code).toBe('S3_INVALID_URL');
      expect((error as Error).message).toContain(url);
    },
  );
});
