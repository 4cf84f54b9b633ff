import {
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface AbortStaleUploadsOptions {
  client: S3Client;
  bucket: string;
  key: string;
  signal?: AbortSignal | undefined;
}

/**
 * Answers meaning "this server cannot list multipart uploads for us"
 * (s3rver: NotImplemented; a policy without s3:ListBucketMultipartUploads:
 * AccessDenied): the upload goes ahead without the clean-up.
 */
const cannotList = new Set(['NotImplemented', 'AccessDenied', 'MethodNotAllowed']);

/** How long the abort of our own upload may hold up the rejection of a failed or aborted upload. */
const abortTimeout = 10_000;

/**
 * Aborts the open multipart uploads of exactly `key` (ListMultipartUploads
 * by prefix, then AbortMultipartUpload each), as a killed run leaves them;
 * returns how many. A server that will not list them is not an error.
 * Called before our own upload exists, so every one listed is older than
 * ours (no time filter: the server's clock need not match ours). Two runs
 * uploading the same key at once would abort each other's; the recorder's
 * job lock keeps them apart.
 */
export async function abortStaleUploads(options: AbortStaleUploadsOptions): Promise<number> {
  const { client, bucket, key, signal } = options;
  const stale: string[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    let page: ListMultipartUploadsCommandOutput;
    try {
      page = await client.send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          Prefix: key,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (cannotList.has((error as { name?: string }).name ?? '')) return 0;
      throw error;
    }
    for (const upload of page.Uploads ?? []) {
      if (upload.Key === key && upload.UploadId !== undefined) stale.push(upload.UploadId);
    }
    const more = page.IsTruncated === true;
    keyMarker = more ? page.NextKeyMarker : undefined;
    uploadIdMarker = more ? page.NextUploadIdMarker : undefined;
  } while (keyMarker !== undefined);
  for (const uploadId of stale) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }), {
      abortSignal: signal,
    });
  }
  return stale.length;
}

/**
 * Aborts one multipart upload of ours, best effort: it runs after a failure
 * or the caller's abort (so it cannot use the caller's signal), and is
 * bounded in time; if it fails, the next upload of the key aborts it.
 */
export async function abortMultipartUpload(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }), {
      abortSignal: AbortSignal.timeout(abortTimeout),
    });
  } catch {
    // Left for the next upload's clean-up (or a bucket lifecycle rule).
  }
}
