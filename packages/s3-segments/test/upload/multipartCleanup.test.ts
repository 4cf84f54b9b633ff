import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateMultipartUploadCommand } from '@aws-sdk/client-s3';
import {
  type HttpTestServer,
  makeTempDir,
  type S3UploadStub,
  s3rverCredentials,
  startHttpServer,
  startS3UploadStub,
  type TempDir,
} from '@rec/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, uploadFile } from '../../src/index.js';

// s3rver 3.7 cannot list (NotImplemented) nor abort (405) multipart uploads: a stub that can.
let stub: S3UploadStub;
let tmp: TempDir;
let file: string;
let proxy: HttpTestServer | undefined;
const body = randomBytes(20 * 1024 * 1024);
const key = 'recordings/cam01/1700000000-1700000300.mp4';
const clientFor = (endpoint: string) =>
  createS3Client({ endpoint, forcePathStyle: true, credentials: { ...s3rverCredentials }, maxAttempts: 1 });

beforeAll(async () => {
  stub = await startS3UploadStub('out');
  tmp = await makeTempDir();
  file = join(tmp.path, 'recording.mp4');
  await writeFile(file, body);
});

afterAll(async () => {
  await stub?.stop();
  await tmp?.remove();
});

afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  // Every test starts with nothing open on the server.
  for (const upload of stub.open()) upload.state = 'aborted';
});

describe('uploadFile leaves no multipart upload behind', () => {
  it('aborts the unfinished uploads a killed run left on the same key, and no other', async () => {
    const client = clientFor(stub.endpoint);
    const left = async (objectKey: string) =>
      (await client.send(new CreateMultipartUploadCommand({ Bucket: 'out', Key: objectKey }))).UploadId;
    const stale = [await left(key), await left(key)];
    const other = [await left(`${key}.other`), await left('recordings/cam01/1700000000-1700000300.mp')];

    const result = await uploadFile({ client, bucket: 'out', key, file });

    expect(result).toMatchObject({ bucket: 'out', key, bytes: body.length, staleUploadsAborted: 2 });
    expect(stale.map((id) => stub.uploads.get(id!)?.state)).toEqual(['aborted', 'aborted']);
    expect(stub.open().map((upload) => upload.uploadId)).toEqual(other);
    expect(stub.objects.get(key)?.equals(body)).toBe(true);
    client.destroy();
  });

  it('aborts its own upload before rejecting when a part fails', async () => {
    proxy = await startHttpServer({
      upstream: stub.endpoint,
      faults: [
        {
          path: `/out/${key}`,
          method: 'PUT',
          search: /partNumber=2&/,
          fault: { kind: 'status', status: 403 },
        },
      ],
    });
    const client = clientFor(proxy.url);
    const error = await uploadFile({ client, bucket: 'out', key, file, queueSize: 1 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'S3SegmentsError', code: 'ACCESS_DENIED', bucket: 'out', key });
    // At the moment the promise settles, the server holds nothing unfinished.
    expect(stub.open()).toEqual([]);
    const ours = [...stub.uploads.values()].at(-1);
    expect(ours).toMatchObject({ key, state: 'aborted' });
    expect(proxy.requests.filter((r) => r.method === 'DELETE').map((r) => r.search)).toEqual([
      `?uploadId=${ours?.uploadId}&x-id=AbortMultipartUpload`,
    ]);
    client.destroy();
  });

  it('aborts its own upload before rejecting with the reason when the caller aborts', async () => {
    const client = clientFor(stub.endpoint);
    const controller = new AbortController();
    const reason = new Error('interrupted');
    const upload = uploadFile({
      client,
      bucket: 'out',
      key,
      file,
      queueSize: 1,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.transferred > 0) controller.abort(reason);
      },
    });
    await expect(upload).rejects.toBe(reason);
    expect(stub.open()).toEqual([]);
    expect([...stub.uploads.values()].at(-1)).toMatchObject({ key, state: 'aborted' });
    client.destroy();
  });
});
