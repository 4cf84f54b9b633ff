import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type HttpTestServer,
  makeTempDir,
  type S3TestServer,
  s3rverCredentials,
  startHttpServer,
  startS3Server,
  type TempDir,
} from '@rec/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, listSegments } from '../../src/index.js';

const T = 1700000000;
const window = { start: T, end: T + 10 };
let s3: S3TestServer;
let proxy: HttpTestServer;
let tmp: TempDir;
const savedEnv = { ...process.env };

/** The shared config and credentials files of a user with two profiles, and no other AWS settings. */
async function useProfile(profile: string): Promise<void> {
  const config = join(tmp.path, `config-${profile}`);
  const credentials = join(tmp.path, `credentials-${profile}`);
  await writeFile(config, '[profile paris]\nregion = eu-west-3\n\n[profile bare]\noutput = json\n');
  await writeFile(credentials, '');
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, {
    AWS_PROFILE: profile,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    // No instance metadata lookups from a test.
    AWS_EC2_METADATA_DISABLED: 'true',
  });
}

/** The region a request was signed for, from its SigV4 credential scope (`<key>/<date>/<region>/s3/aws4_request`). */
const signedRegion = (request: HttpTestServer['requests'][number] | undefined) =>
  /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\/aws4_request/.exec(String(request?.headers.authorization))?.[1];

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('cams');
  proxy = await startHttpServer({ upstream: s3.endpoint });
  tmp = await makeTempDir();
});

afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
  await tmp?.remove();
});

afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

/** Lists once through the proxy with a client of `options`; returns the region the request was signed for. */
async function regionSignedBy(options: Parameters<typeof createS3Client>[0]): Promise<string | undefined> {
  const client = createS3Client({ endpoint: proxy.url, forcePathStyle: true, ...options });
  await listSegments({ client, bucket: 'cams', prefix: 'p', window, kinds: ['video'] }).next();
  client.destroy();
  return signedRegion(proxy.requests.at(-1));
}

describe('createS3Client without a region', () => {
  it('signs for the region of AWS_PROFILE in ~/.aws/config, as the AWS CLI does', async () => {
    await useProfile('paris');
    expect(await regionSignedBy({ credentials: { ...s3rverCredentials } })).toBe('eu-west-3');
  });

  it('falls back to us-east-1 when the chain has none, and a given region wins', async () => {
    await useProfile('bare');
    expect(await regionSignedBy({ credentials: { ...s3rverCredentials } })).toBe('us-east-1');
    await useProfile('paris');
    expect(await regionSignedBy({ region: 'ap-south-1', credentials: { ...s3rverCredentials } })).toBe(
      'ap-south-1',
    );
  });
});

describe('the region of one client', () => {
  it('is read once, when the first request is signed, also when the chain has none', async () => {
    await useProfile('bare');
    const client = createS3Client({
      endpoint: proxy.url,
      forcePathStyle: true,
      credentials: { ...s3rverCredentials },
    });
    const list = () => listSegments({ client, bucket: 'cams', prefix: 'p', window, kinds: ['video'] }).next();
    await list();
    expect(signedRegion(proxy.requests.at(-1))).toBe('us-east-1');
    // A region set after the first request is not read again by this client (a new one reads it).
    process.env.AWS_REGION = 'eu-north-1';
    await list();
    expect(signedRegion(proxy.requests.at(-1))).toBe('us-east-1');
    client.destroy();
    expect(await regionSignedBy({ credentials: { ...s3rverCredentials } })).toBe('eu-north-1');
  });
});

describe('no credentials at all', () => {
  it('is S3_NO_CREDENTIALS, not "rejected", with the SDK reason as the cause, and sends nothing', async () => {
    await useProfile('bare');
    const client = createS3Client({ endpoint: proxy.url, forcePathStyle: true });
    const before = proxy.requests.length;
    const error = await listSegments({ client, bucket: 'cams', prefix: 'p', window, kinds: ['video'] })
      .next()
      .then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
    client.destroy();
    expect(error).toMatchObject({ name: 'S3SegmentsError', code: 'S3_NO_CREDENTIALS', bucket: 'cams' });
    expect(error?.message).toMatch(
      /^No AWS credentials found while listing s3:\/\/cams\/p\/00\/video\/: set AWS_PROFILE/,
    );
    expect(error?.message).not.toContain('rejected');
    expect(error?.cause).toMatchObject({ name: 'CredentialsProviderError' });
    expect(proxy.requests.length).toBe(before);
  });
});
