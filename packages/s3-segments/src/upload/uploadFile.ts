import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { makeProgress, type ProgressListener, ProgressUnit } from '@rec/core';
import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import { toS3SegmentsError } from '../s3/toS3SegmentsError.js';

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
  signal?: AbortSignal;
  /** Bytes sent: core's `Progress` (`unit: 'bytes'`, `percent` in [0, 1]). */
  onProgress?: ProgressListener;
}

export interface UploadResult {
  bucket: string;
  key: string;
  bytes: number;
  etag: string | undefined;
}

const minPartSize = 8 * 1024 * 1024;
const maxParts = 10_000;

/**
 * Uploads a local file with `@aws-sdk/lib-storage` (multipart above one
 * part, parts in parallel). Aborting stops the upload, aborts the multipart
 * upload on the server, and rejects with `signal.reason`.
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
  const partSize = Math.max(options.partSize ?? minPartSize, minPartSize, Math.ceil(size / maxParts));
  const upload = new Upload({
    client,
    params: {
      Bucket: bucket,
      Key: key,
      Body: createReadStream(file),
      ContentType: options.contentType,
    },
    partSize,
    queueSize: options.queueSize ?? 4,
    leavePartsOnError: false,
  });
  upload.on('httpUploadProgress', (event) => {
    options.onProgress?.(makeProgress(event.loaded ?? 0, size, ProgressUnit.Bytes));
  });
  const onAbort = () => {
    void upload.abort().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const output = await upload.done();
    return { bucket, key, bytes: size, etag: output.ETag?.replace(/"/g, '') };
  } catch (error) {
    signal?.throwIfAborted();
    const mapped = toS3SegmentsError(error, { bucket, key, action: 'uploading' });
    if (mapped.code !== S3SegmentsErrorCode.S3Error) throw mapped;
    throw new S3SegmentsError(
      S3SegmentsErrorCode.UploadFailed,
      `Upload to s3://${bucket}/${key} failed: ${mapped.message}`,
      {
        bucket,
        key,
        cause: error,
      },
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
