import {
  type HttpTestServer,
  type S3TestServer,
  s3rverCredentials,
  startHttpServer,
  startS3Server,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBucket, createS3Client, createS3Stats, S3SegmentsError } from '../../src/index.js';

let s3: S3TestServer;
let denying: HttpTestServer;

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('outputs');
  // Every request refused as S3 refuses a role without s3:ListBucket.
  denying = await startHttpServer({
    upstream: s3.endpoint,
    faults: [{ path: /.*/, fault: { kind: 'status', status: 403 } }],
  });
});
afterAll(async () => {
  await denying?.stop();
  await s3?.stop();
});

describe('checkBucket', () => {
  it('an existing bucket: listable, in one ListObjectsV2 request of at most one key', async () => {
    const stats = createS3Stats();
    expect(await checkBucket({ client: s3.client, bucket: 'outputs', prefix: 'rec/out.mp4', stats })).toEqual(
      {
        bucket: 'outputs',
        listable: true,
      },
    );
    expect(stats.requests).toMatchObject({ total: 1, ListObjectsV2: 1 });
  });

  it('a missing bucket: NO_SUCH_BUCKET naming it', async () => {
    const error = await checkBucket({ client: s3.client, bucket: 'nope', prefix: 'rec/out.mp4' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(S3SegmentsError);
    expect(error).toMatchObject({
      code: 'NO_SUCH_BUCKET',
      bucket: 'nope',
      message: 'Bucket "nope" does not exist (checking s3://nope/rec/out.mp4)',
    });
  });

  it('a denied listing proves nothing: resolves, not listable', async () => {
    const client = createS3Client({
      endpoint: denying.url,
      forcePathStyle: true,
      credentials: { ...s3rverCredentials },
      maxAttempts: 1,
    });
    try {
      expect(await checkBucket({ client, bucket: 'outputs' })).toEqual({
        bucket: 'outputs',
        listable: false,
      });
    } finally {
      client.destroy();
    }
  });

  it('rejects with the abort reason', async () => {
    const reason = new Error('stop');
    await expect(
      checkBucket({ client: s3.client, bucket: 'outputs', signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });
});
