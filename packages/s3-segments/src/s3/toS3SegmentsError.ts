import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';

export interface S3ErrorContext {
  bucket: string;
  key?: string;
  /** What we were doing, for the message: `listing`, `downloading`, `uploading`. */
  action: string;
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const networkNames = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
]);
const credentialNames = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
  'InvalidClientTokenId',
]);

/** True for connection-level failures worth retrying. */
export function isNetworkError(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; cause?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && networkCodes.has(e.code)) return true;
  if (typeof e.name === 'string' && networkNames.has(e.name)) return true;
  return e.cause !== undefined && e.cause !== error && isNetworkError(e.cause);
}

/**
 * Maps an AWS SDK (or socket) error to an `S3SegmentsError` with a stable
 * code. The message names the bucket and key, never credentials: it is built
 * here from the error's name and HTTP status, not from request data.
 */
export function toS3SegmentsError(error: unknown, context: S3ErrorContext): S3SegmentsError {
  if (error instanceof S3SegmentsError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const where =
    context.key === undefined ? `s3://${context.bucket}` : `s3://${context.bucket}/${context.key}`;
  const options = { bucket: context.bucket, key: context.key, cause: error };
  const make = (code: S3SegmentsErrorCode, message: string) => new S3SegmentsError(code, message, options);
  if (name === 'NoSuchBucket') {
    return make(
      S3SegmentsErrorCode.NoSuchBucket,
      `Bucket "${context.bucket}" does not exist (${context.action} ${where})`,
    );
  }
  if (credentialNames.has(name)) {
    return make(
      S3SegmentsErrorCode.InvalidCredentials,
      `The S3 credentials were rejected (${name}) while ${context.action} ${where}: check the access key id and secret`,
    );
  }
  if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403) {
    return make(
      S3SegmentsErrorCode.AccessDenied,
      `Access denied (${name}, HTTP ${status ?? 403}) while ${context.action} ${where}`,
    );
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return make(S3SegmentsErrorCode.NotFound, `No such object ${where} (${name})`);
  }
  if (isNetworkError(error)) {
    const detail = e.code ?? name;
    return make(S3SegmentsErrorCode.Network, `Network error (${detail}) while ${context.action} ${where}`);
  }
  return make(
    S3SegmentsErrorCode.S3Error,
    `S3 answered ${name}${status === undefined ? '' : ` (HTTP ${status})`} while ${context.action} ${where}`,
  );
}
