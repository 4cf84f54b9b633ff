import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';

export interface S3Location {
  bucket: string;
  /** May be empty (`s3://bucket/`), or a prefix ending with `/`. */
  key: string;
}

/**
 * Reads `s3://bucket/key` as the AWS CLI writes it (the key is taken
 * literally, not percent-decoded). Throws `S3_INVALID_URL` for other schemes or
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
  // Bucket names: 3-63 lower-case letters, digits, dots and hyphens today; legacy
  // us-east-1 and S3-compatible stores also allow upper case and `_`, up to 255.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,254}$/.test(bucket)) {
    throw new S3SegmentsError(S3SegmentsErrorCode.InvalidUrl, `Invalid bucket name "${bucket}" in "${url}"`);
  }
  return { bucket, key: match[2] ?? '' };
}
