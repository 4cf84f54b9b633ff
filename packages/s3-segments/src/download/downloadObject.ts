import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import { countRequests } from '../s3/countRequests.js';
import { toS3SegmentsError } from '../s3/toS3SegmentsError.js';
import type { S3Stats } from '../types/S3Stats.js';
import type { Segment } from '../types/Segment.js';
import { abortableSleep, backoffDelay } from './abortableSleep.js';
import { untilAborted } from './untilAborted.js';

export interface DownloadObjectOptions {
  client: S3Client;
  bucket: string;
  segment: Segment;
  /** Final path; the body is streamed to `<path>.part` first. */
  path: string;
  /** Our retries after the first attempt (on top of the SDK's own). */
  retries: number;
  /** Backoff base in milliseconds. */
  retryDelay: number;
  signal: AbortSignal;
  stats: S3Stats;
  /** Bytes received (negative when a failed attempt's bytes are taken back). */
  onBytes: (bytes: number) => void;
}

/** A body that arrived but is not the object: short, long, or with another MD5. */
class IntegrityError extends Error {}

const localCodes = new Set([
  'ENOSPC',
  'EACCES',
  'EPERM',
  'EROFS',
  'EISDIR',
  'ENOTDIR',
  'EMFILE',
  'ENFILE',
  'EDQUOT',
]);

/**
 * Downloads one object to `path`: streams the body to `path.part` while
 * counting bytes and computing its MD5, checks the size against the listing
 * and the MD5 against a single-part ETag (32 hex digits), then renames.
 * Truncated bodies, mismatches and network failures are retried with
 * exponential backoff; 4xx answers are not. Returns the bytes written.
 */
export async function downloadObject(options: DownloadObjectOptions): Promise<number> {
  const { client, bucket, segment, path, signal } = options;
  const part = `${path}.part`;
  let lastError: unknown;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0) await abortableSleep(backoffDelay(attempt - 1, options.retryDelay), signal);
    let received = 0;
    try {
      const command = countRequests(
        new GetObjectCommand({ Bucket: bucket, Key: segment.key }),
        'GetObject',
        options.stats,
      );
      const response = await client.send(command, { abortSignal: signal });
      const body = response.Body;
      if (!(body instanceof Readable)) throw new IntegrityError('the response has no body stream');
      const hash = createHash('md5');
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          received += chunk.length;
          options.onBytes(chunk.length);
          callback(null, chunk);
        },
      });
      await untilAborted(pipeline(body, counter, createWriteStream(part), { signal }), signal);
      const expected = segment.size;
      if (received !== expected)
        throw new IntegrityError(`received ${received} bytes, the listing says ${expected}`);
      const etag = (segment.etag ?? response.ETag ?? '').replace(/"/g, '').toLowerCase();
      if (/^[0-9a-f]{32}$/.test(etag)) {
        const md5 = hash.digest('hex');
        if (md5 !== etag) throw new IntegrityError(`MD5 ${md5} differs from ETag ${etag}`);
      }
      await rename(part, path);
      return received;
    } catch (error) {
      options.onBytes(-received);
      await rm(part, { force: true }).catch(() => undefined);
      signal.throwIfAborted();
      if (!retriable(error)) {
        if (isLocal(error)) {
          throw new S3SegmentsError(
            S3SegmentsErrorCode.LocalIo,
            `Cannot write ${part}: ${(error as Error).message}`,
            {
              bucket,
              key: segment.key,
              cause: error,
            },
          );
        }
        throw toS3SegmentsError(error, { bucket, key: segment.key, action: 'downloading' });
      }
      lastError = error;
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new S3SegmentsError(
    S3SegmentsErrorCode.DownloadFailed,
    `Download of s3://${bucket}/${segment.key} failed after ${options.retries + 1} attempts: ${reason}`,
    { bucket, key: segment.key, cause: lastError },
  );
}

function isLocal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && localCodes.has(code);
}

function retriable(error: unknown): boolean {
  if (error instanceof IntegrityError) return true;
  if (isLocal(error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) return false;
  return true;
}
