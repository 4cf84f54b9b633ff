import { RecError } from '@rec/core';

/**
 * Stable codes callers can branch on (never on message text), unique across
 * the rec packages. Bad option values are not among them: those are
 * `TypeError`s from `@rec/core`'s `invalidOption`.
 */
export const S3SegmentsErrorCode = {
  /** A time could not be read as Unix seconds, milliseconds or ISO-8601 with a zone. */
  InvalidInstant: 'INVALID_INSTANT',
  /** Layout options that do not describe a usable key layout. */
  InvalidLayout: 'INVALID_LAYOUT',
  /** Not an `s3://bucket/key` URL. */
  InvalidUrl: 'S3_INVALID_URL',
  /** The bucket does not exist. */
  NoSuchBucket: 'NO_SUCH_BUCKET',
  /** The credentials are valid but may not do this (403). */
  AccessDenied: 'ACCESS_DENIED',
  /** Credentials were sent and refused: unknown access key id, wrong secret, expired token. */
  InvalidCredentials: 'INVALID_CREDENTIALS',
  /** No credentials at all: the SDK's credential chain found none (nothing was sent). */
  NoCredentials: 'S3_NO_CREDENTIALS',
  /** The object (or a listed local file) does not exist. */
  ObjectNotFound: 'OBJECT_NOT_FOUND',
  /** The root directory of a local source does not exist or is not a directory. */
  LocalRootNotFound: 'LOCAL_ROOT_NOT_FOUND',
  /** Connection refused/reset, DNS, an endpoint that does not answer in time. */
  Network: 'NETWORK',
  /** Any other answer from the S3 service. */
  S3Error: 'S3_ERROR',
  /** An object could not be downloaded intact after every retry (size/ETag mismatch, truncated body). */
  DownloadFailed: 'DOWNLOAD_FAILED',
  /** Two segments would be written to the same local file. */
  NameCollision: 'NAME_COLLISION',
  /** The multipart upload failed. */
  UploadFailed: 'UPLOAD_FAILED',
  /** A local file or directory could not be read or written. */
  LocalIo: 'LOCAL_IO',
} as const;
export type S3SegmentsErrorCode = (typeof S3SegmentsErrorCode)[keyof typeof S3SegmentsErrorCode];

/**
 * The one error class of `@rec/s3-segments`. Names the bucket and key when
 * they are known; never carries credentials in its message.
 */
export class S3SegmentsError extends RecError<S3SegmentsErrorCode> {
  override readonly name = 'S3SegmentsError';
  readonly bucket: string | undefined;
  readonly key: string | undefined;

  constructor(
    code: S3SegmentsErrorCode,
    message: string,
    options: { bucket?: string | undefined; key?: string | undefined; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.bucket = options.bucket;
    this.key = options.key;
  }
}
