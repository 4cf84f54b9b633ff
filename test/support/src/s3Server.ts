import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** The access key pair s3rver accepts; any other key id gets 403 InvalidAccessKeyId. */
export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** A client for this server (path-style, checksums only when required). */
  client: S3Client;
  createBucket(name: string): Promise<void>;
  /** Puts each `key -> body`, `concurrency` at a time. */
  putObjects(
    bucket: string,
    objects: Iterable<[string, Uint8Array | string]>,
    concurrency?: number,
  ): Promise<void>;
  stop(): Promise<void>;
}

/** Client options that make the AWS SDK v3 talk to an S3-compatible test server. */
export function s3ClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { ...s3rverCredentials },
    // Newer SDKs frame stream bodies with checksums that s3rver stores verbatim.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  } as const;
}

/** Starts a real S3-compatible server (s3rver) on 127.0.0.1 and a random port. */
export async function startS3Server(): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'rec-s3rver-'));
  const child: ChildProcess = fork(new URL('./s3rverProcess.mjs', import.meta.url), [directory], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client(s3ClientConfig(endpoint));
  return {
    endpoint,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async putObjects(bucket, objects, concurrency = 16) {
      const iterator = objects[Symbol.iterator]();
      const worker = async (): Promise<void> => {
        for (let next = iterator.next(); !next.done; next = iterator.next()) {
          const [key, body] = next.value;
          await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    },
    async stop() {
      client.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.disconnect();
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
