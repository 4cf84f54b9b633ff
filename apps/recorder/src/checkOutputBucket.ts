import { listSegments, type S3Location, S3SegmentsError, S3SegmentsErrorCode } from '@rec/s3-segments';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';
import type { S3Client } from './RecordOptions.js';

/**
 * Checks that the bucket of an `s3://` output exists, with the source's
 * client, so that a missing one is found before the download and the
 * encode, not at the upload after them. One ListObjectsV2 request of at most
 * one key under the output key (what `HeadBucket` would tell, with the same
 * `s3:ListBucket` permission; @rec/s3-segments offers no HeadBucket). A
 * denied check proves nothing (an upload-only role may still put the
 * object): only a bucket the server says does not exist fails, with
 * `RECORDER_OUTPUT` naming it.
 */
export async function checkOutputBucket(
  client: S3Client,
  output: S3Location,
  signal?: AbortSignal,
): Promise<void> {
  try {
    const listing = listSegments({
      client,
      bucket: output.bucket,
      prefix: output.key,
      window: { start: 1, end: 2 },
      kinds: ['video'],
      pageSize: 1,
      signal,
    });
    for await (const _ of listing) break;
  } catch (error) {
    if (!(error instanceof S3SegmentsError)) throw error;
    if (error.code === S3SegmentsErrorCode.NoSuchBucket) {
      throw new RecorderError(
        RecorderErrorCode.Output,
        `The output bucket "${output.bucket}" does not exist (s3://${output.bucket}/${output.key})`,
        { cause: error },
      );
    }
    if (error.code !== S3SegmentsErrorCode.AccessDenied) throw error;
  }
}
