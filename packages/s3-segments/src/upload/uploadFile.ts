import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { makeProgress, type ProgressListener, ProgressUnit } from '@rec/core';
import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import { toS3SegmentsError } from '../s3/toS3SegmentsError.js';
import { abortMultipartUpload, abortStaleUploads } from './abortStaleUploads.js';

export interface UploadFileOptions {
  client: S3Client;
  bucket: string;
  key: string;
  /** Local file to upload. */
  file: string;
  /** e.g. `video/mp4`. */
  contentType?: string;
  /** Bytes per part, at least 8 MiB (default); raised for huge files to stay within 10,000 parts. */
  partSize?: number;
  /** Parts in flight. Default 4. */
  queueSize?: number;
  /**
   * First abort the multipart uploads of this same key that are still open
   * on the server (what a killed earlier run left). Default true.
   */
  abortStaleUploads?: boolean;
  signal?: AbortSignal;
  /** Bytes sent: core's `Progress` (`unit: 'bytes'`, `percent` in [0, 1]). */
  onProgress?: ProgressListener;
}

export interface UploadResult {
  bucket: string;
  key: string;
  bytes: number;
  etag: string | undefined;
  /** Unfinished multipart uploads of the key found and aborted before this one. */
  staleUploadsAborted: number;
}

const minPartSize = 8 * 1024 * 1024;
const maxParts = 10_000;

/**
 * Uploads a local file with `@aws-sdk/lib-storage` (multipart above one
 * part, parts in parallel), leaving nothing unfinished on the server:
 *
 * - before it starts, open multipart uploads of the same key (a killed run's,
 *   which S3 keeps, and bills, until they are aborted) are aborted, where the
 *   server lets us list them;
 * - when a part fails, or `signal` aborts, our own multipart upload is
 *   aborted before the promise rejects (lib-storage alone rejects first and
 *   aborts later, so a CLI that exits on the rejection leaves it behind).
 *
 * Aborting rejects with `signal.reason`.
 */
export async function uploadFile(options: UploadFileOptions): Promise<UploadResult> {
  const { client, bucket, key, file, signal } = options;
  signal?.throwIfAborted();
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (cause) {
    throw new S3SegmentsError(S3SegmentsErrorCode.LocalIo, `Cannot read ${file}`, { bucket, key, cause });
  }
  let staleUploadsAborted = 0;
  if (options.abortStaleUploads ?? true) {
    try {
      staleUploadsAborted = await abortStaleUploads({ client, bucket, key, signal });
    } catch (error) {
      signal?.throwIfAborted();
      throw toS3SegmentsError(error, { bucket, key, action: 'uploading' });
    }
  }
  const partSize = Math.max(options.partSize ?? minPartSize, minPartSize, Math.ceil(size / maxParts));
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentType: options.contentType },
    partSize,
    queueSize: options.queueSize ?? 4,
    // We abort it ourselves, and wait for that before rejecting.
    leavePartsOnError: true,
  });
  upload.on('httpUploadProgress', (event) => {
    options.onProgress?.(makeProgress(event.loaded ?? 0, size, ProgressUnit.Bytes));
  });
  const onAbort = () => {
    void upload.abort();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const output = await upload.done();
    return { bucket, key, bytes: size, etag: output.ETag?.replace(/"/g, ''), staleUploadsAborted };
  } catch (error) {
    if (upload.uploadId !== undefined) await abortMultipartUpload(client, bucket, key, upload.uploadId);
    signal?.throwIfAborted();
    const mapped = toS3SegmentsError(error, { bucket, key, action: 'uploading' });
    if (mapped.code !== S3SegmentsErrorCode.S3Error) throw mapped;
    throw new S3SegmentsError(
      S3SegmentsErrorCode.UploadFailed,
      `Upload to s3://${bucket}/${key} failed: ${mapped.message}`,
      { bucket, key, cause: error },
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
