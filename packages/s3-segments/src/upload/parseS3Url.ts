import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';

export interface S3Location {
  bucket: string;
  /** May be empty (`s3://bucket/`), or a prefix ending with `/`. */
  key: string;
}

/**
 * Reads `s3://bucket/key` as the AWS CLI writes it (the key is taken
 * literally, not percent-decoded). Throws `INVALID_URL` for other schemes or
 * an invalid bucket name.
 */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/i.exec(url.trim());
  if (match === null) {
    throw new S3SegmentsError(
      S3SegmentsErrorCode.InvalidUrl,
      `Expected an s3://bucket/key URL, got "${url}"`,
    );
  }
  const bucket = match[1] ?? '';
  // Bucket naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) && !/^[A-Za-z0-9._-]{1,255}$/.test(bucket)) {
    throw new S3SegmentsError(S3SegmentsErrorCode.InvalidUrl, `Invalid bucket name "${bucket}" in "${url}"`);
  }
  return { bucket, key: match[2] ?? '' };
}
