import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { S3SegmentsErrorCode } from '../S3SegmentsError.js';
import type { S3Stats } from '../types/S3Stats.js';
import { AttemptLog } from './AttemptLog.js';
import { observeAttempts } from './observeAttempts.js';
import { toS3SegmentsError } from './toS3SegmentsError.js';

export interface CheckBucketOptions {
  client: S3Client;
  bucket: string;
  /** Where in the bucket the caller will work (listed for at most one key; default the whole bucket). */
  prefix?: string;
  /** Counts the request (`ListObjectsV2`) and its retries. */
  stats?: S3Stats;
  signal?: AbortSignal;
}

export interface BucketCheck {
  bucket: string;
  /**
   * Whether the caller may list it. `false` when the server refused to say
   * (`AccessDenied`): the bucket may still exist and take uploads (an
   * upload-only role), so that is no failure.
   */
  listable: boolean;
}

/**
 * Checks that a bucket exists before the work that needs it (an output
 * bucket before the download and the encode, not at the upload after them):
 * one ListObjectsV2 request of at most one key under `prefix`, which needs
 * the same `s3:ListBucket` permission as HeadBucket and names a missing
 * bucket in its error (a HEAD answer has no body). Rejects with the
 * `S3SegmentsError` of the failure: `NO_SUCH_BUCKET` for a bucket the
 * server says does not exist, `INVALID_CREDENTIALS`, `NETWORK`...; a denied
 * listing resolves with `listable: false`.
 */
export async function checkBucket(options: CheckBucketOptions): Promise<BucketCheck> {
  const { client, bucket, stats, signal } = options;
  signal?.throwIfAborted();
  const command = new ListObjectsV2Command({ Bucket: bucket, Prefix: options.prefix, MaxKeys: 1 });
  const attempts = new AttemptLog(stats);
  try {
    await client.send(observeAttempts(command, 'ListObjectsV2', attempts), { abortSignal: signal });
    return { bucket, listable: true };
  } catch (caught) {
    signal?.throwIfAborted();
    const error = toS3SegmentsError(caught, { bucket, key: options.prefix, action: 'checking', attempts });
    if (error.code === S3SegmentsErrorCode.AccessDenied) return { bucket, listable: false };
    throw error;
  }
}
