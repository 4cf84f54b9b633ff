import { checkBucket, type S3Location, S3SegmentsError, S3SegmentsErrorCode } from '@rec/s3-segments';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';
import type { S3Client } from './RecordOptions.js';

/**
 * Checks that the bucket of an `s3://` output exists, with the source's
 * client, so that a missing one is found before the download and the
 * encode, not at the upload after them (s3-segments `checkBucket`). A
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
    await checkBucket({ client, bucket: output.bucket, prefix: output.key, signal });
  } catch (error) {
    if (error instanceof S3SegmentsError && error.code === S3SegmentsErrorCode.NoSuchBucket) {
      throw new RecorderError(
        RecorderErrorCode.Output,
        `The output bucket "${output.bucket}" does not exist (s3://${output.bucket}/${output.key})`,
        { cause: error },
      );
    }
    throw error;
  }
}
