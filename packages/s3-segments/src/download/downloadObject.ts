import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { backoffDelay, sleep } from '@rec/core';
import { atomicFile, PartWriter } from '@rec/core/node';
import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import { AttemptLog } from '../s3/AttemptLog.js';
import { BodyIntegrityError, describeFailure, SlowBodyError } from '../s3/describeFailure.js';
import { observeAttempts } from '../s3/observeAttempts.js';
import { plural, toS3SegmentsError } from '../s3/toS3SegmentsError.js';
import { S3RetryCause, type S3Stats } from '../types/S3Stats.js';
import type { Segment } from '../types/Segment.js';
import { untilAborted } from './untilAborted.js';

export interface DownloadObjectOptions {
  client: S3Client;
  bucket: string;
  segment: Segment;
  /** Final path; the body is streamed to `<path>.part` first. */
  path: string;
  /** Our attempts after the first (on top of the SDK's own retries of a request). */
  retries: number;
  /** Backoff base in milliseconds. */
  retryDelay: number;
  /** Bytes per second an attempt may not fall below (after a 10-s allowance). */
  minSpeed: number;
  signal: AbortSignal;
  stats: S3Stats;
  /** Bytes received (negative when a failed attempt's bytes are taken back). */
  onBytes: (bytes: number) => void;
}

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

/** Every attempt may take this long, plus the time its size needs at `minSpeed`. */
const attemptAllowance = 10_000;

/**
 * Downloads one object to `path`: writes the body to `path.part` while
 * counting bytes and computing its MD5, checks the size against the listing
 * and the MD5 against a single-part ETag (32 hex digits), and only then
 * renames the part file into place.
 *
 * Two layers retry, without multiplying: the SDK retries a request that
 * fails before its answer (5xx, throttling, timeouts, resets), and this
 * loop retries what the SDK cannot see (a body cut short, trickling,
 * mismatched) and requests the SDK gave up on at their first attempt (its
 * retry quota spent). A request the SDK already retried and lost is final,
 * so an endpoint that never answers fails after the SDK's attempts, not
 * after the product of both. 4xx answers are never retried. The error
 * after the last attempt says what every attempt met.
 */
export async function downloadObject(options: DownloadObjectOptions): Promise<number> {
  const { client, bucket, segment, path, signal } = options;
  const file = atomicFile(path);
  const log = new AttemptLog(options.stats);
  const deadline = attemptAllowance + (segment.size / options.minSpeed) * 1000;
  let lastError: unknown;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0) await sleep(backoffDelay(attempt - 1, { base: options.retryDelay }), signal);
    const slow = new AbortController();
    const timer = setTimeout(() => slow.abort(new SlowBodyError()), deadline);
    const attemptSignal = AbortSignal.any([signal, slow.signal]);
    let received = 0;
    let answered = false;
    const requestsBefore = log.requests;
    try {
      const command = observeAttempts(
        new GetObjectCommand({ Bucket: bucket, Key: segment.key }),
        'GetObject',
        log,
      );
      const response: GetObjectCommandOutput = await client.send(command, { abortSignal: attemptSignal });
      answered = true;
      const body = response.Body;
      if (!(body instanceof Readable)) {
        throw new BodyIntegrityError(
          S3RetryCause.TruncatedBody,
          'no body',
          'the response has no body stream',
        );
      }
      const hash = createHash('md5');
      // Each chunk is hashed, counted and handed to the part file's batched, synchronous writes:
      // no stream per file, no thread-pool trip per chunk (see PartWriter).
      const output = await PartWriter.open(file.partPath, 'w', 0);
      try {
        await untilAborted(
          (async () => {
            for await (const chunk of body as AsyncIterable<Buffer>) {
              attemptSignal.throwIfAborted();
              hash.update(chunk);
              received += chunk.length;
              options.onBytes(chunk.length);
              output.write(chunk);
            }
          })(),
          attemptSignal,
        );
      } catch (error) {
        // The connection goes with the attempt (the SDK's abort does not always reach the body).
        body.destroy();
        throw error;
      } finally {
        output.close();
      }
      verify(segment, response, received, hash.digest('hex'));
      await file.commit();
      return received;
    } catch (error) {
      options.onBytes(-received);
      await file.discard();
      signal.throwIfAborted();
      if (isLocal(error)) {
        throw new S3SegmentsError(
          S3SegmentsErrorCode.LocalIo,
          `Cannot write ${file.partPath}: ${(error as Error).message}`,
          { bucket, key: segment.key, cause: error },
        );
      }
      const sent = log.requests > requestsBefore;
      // Nothing went out (no credentials, no region...): nothing a retry would change.
      if (!sent) throw toS3SegmentsError(error, { bucket, key: segment.key, action: 'downloading' });
      const failure = slow.signal.aborted ? slow.signal.reason : error;
      // The middleware saw the failures of requests that got no answer; the body's are ours to log.
      if (answered || slow.signal.aborted) log.fail(failure);
      if (describeFailure(failure).cause === undefined) {
        throw toS3SegmentsError(error, { bucket, key: segment.key, action: 'downloading', attempts: log });
      }
      lastError = failure;
      // The SDK retried this request and lost: more attempts of ours would multiply its own.
      if (!answered && !slow.signal.aborted && log.requests - requestsBefore > 1) break;
    } finally {
      clearTimeout(timer);
    }
  }
  const at = log.endpoint === undefined ? '' : ` from ${log.endpoint}`;
  // Our own integrity messages carry no request data, and say what differed.
  const detail = lastError instanceof BodyIntegrityError ? ` (last: ${lastError.message})` : '';
  throw new S3SegmentsError(
    S3SegmentsErrorCode.DownloadFailed,
    `Download of s3://${bucket}/${segment.key}${at} failed after ${plural(log.requests, 'attempt')}: ${log.summary()}${detail}`,
    { bucket, key: segment.key, cause: lastError },
  );
}

/** Size against the listing, MD5 against a single-part ETag (a multipart ETag is no MD5). */
function verify(segment: Segment, response: GetObjectCommandOutput, received: number, md5: string): void {
  const expected = segment.size;
  if (received < expected) {
    throw new BodyIntegrityError(
      S3RetryCause.TruncatedBody,
      'truncated body',
      `received ${received} bytes, the listing says ${expected}`,
    );
  }
  if (received > expected) {
    throw new BodyIntegrityError(
      S3RetryCause.CorruptBody,
      'body longer than listed',
      `received ${received} bytes, the listing says ${expected}`,
    );
  }
  const etag = (segment.etag ?? response.ETag ?? '').replace(/"/g, '').toLowerCase();
  if (/^[0-9a-f]{32}$/.test(etag) && md5 !== etag) {
    throw new BodyIntegrityError(
      S3RetryCause.CorruptBody,
      'MD5 mismatch',
      `MD5 ${md5} differs from ETag ${etag}`,
    );
  }
}

function isLocal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && localCodes.has(code);
}
