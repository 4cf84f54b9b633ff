import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3UploadStub, s3ClientConfig, startS3UploadStub } from '../src/index.js';

describe('S3 upload stub (the multipart operations s3rver lacks, AWS SDK v3)', () => {
  let stub: S3UploadStub;
  let client: S3Client;
  beforeAll(async () => {
    stub = await startS3UploadStub('bucket');
    client = new S3Client(s3ClientConfig(stub.endpoint));
  });
  afterAll(async () => {
    client.destroy();
    await stub.stop();
  });

  it('lists open uploads by prefix and aborts them', async () => {
    const create = async (Key: string) =>
      (await client.send(new CreateMultipartUploadCommand({ Bucket: 'bucket', Key }))).UploadId!;
    const [a, b] = [await create('out/a.mp4'), await create('other/b.mp4')];
    const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: 'bucket', Prefix: 'out/' }));
    expect(listed.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['out/a.mp4', a]]);
    expect(listed.Uploads?.[0]?.Initiated).toBeInstanceOf(Date);
    await client.send(new AbortMultipartUploadCommand({ Bucket: 'bucket', Key: 'out/a.mp4', UploadId: a }));
    expect(stub.open().map((u) => u.uploadId)).toEqual([b]);
    await expect(
      client.send(new AbortMultipartUploadCommand({ Bucket: 'bucket', Key: 'out/a.mp4', UploadId: a })),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });

  it('stores a multipart upload from lib-storage byte for byte', async () => {
    const body = Buffer.alloc(11 * 1024 * 1024, 7);
    body.write('start');
    await new Upload({
      client,
      params: { Bucket: 'bucket', Key: 'big.bin', Body: body },
      partSize: 5 * 1024 * 1024,
    }).done();
    expect(stub.objects.get('big.bin')?.equals(body)).toBe(true);
    expect([...stub.uploads.values()].find((u) => u.key === 'big.bin')).toMatchObject({ state: 'completed' });
    expect([...stub.uploads.values()].find((u) => u.key === 'big.bin')?.parts.size).toBe(3);
  });
});
