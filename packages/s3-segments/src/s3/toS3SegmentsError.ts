import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import { S3RetryCause } from '../types/S3Stats.js';
import type { AttemptLog } from './AttemptLog.js';
import { describeFailure, networkCode } from './describeFailure.js';

export interface S3ErrorContext {
  bucket: string;
  key?: string;
  /** What we were doing, for the message: `listing`, `downloading`, `uploading`. */
  action: string;
  /** The attempts of the operation: where it talked to and what each attempt met. */
  attempts?: AttemptLog;
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
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const networkNames = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
]);
/** Credentials that were sent and refused. */
const rejectedNames = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
  'InvalidClientTokenId',
]);

/** True for connection-level failures worth retrying. */
export function isNetworkError(error: unknown): boolean {
  const e = error as { name?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  const code = networkCode(error);
  if (code !== undefined && networkCodes.has(code)) return true;
  return typeof e.name === 'string' && networkNames.has(e.name);
}

/**
 * Maps an AWS SDK (or socket) error to an `S3SegmentsError` with a stable
 * code, the SDK's error kept as `cause`. The message names the bucket and
 * key (and, for network failures, the endpoint's scheme, host and port),
 * never credentials: it is built here from the error's name and HTTP
 * status, not from request data.
 */
export function toS3SegmentsError(error: unknown, context: S3ErrorContext): S3SegmentsError {
  if (error instanceof S3SegmentsError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: string;
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
  if (name === 'CredentialsProviderError') {
    // Nothing was sent: the SDK's chain (env, AWS_PROFILE in ~/.aws, SSO, container, instance) found nothing.
    return make(
      S3SegmentsErrorCode.NoCredentials,
      `No AWS credentials found while ${context.action} ${where}: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the cause says what the SDK tried)`,
    );
  }
  if (rejectedNames.has(name)) {
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
    return make(S3SegmentsErrorCode.ObjectNotFound, `No such object ${where} (${name})`);
  }
  const attempts = context.attempts;
  const endpoint = attempts?.endpoint === undefined ? 'the S3 endpoint' : `S3 endpoint ${attempts.endpoint}`;
  const met =
    attempts === undefined || attempts.failures.length === 0
      ? ''
      : ` (${plural(attempts.requests, 'attempt')}: ${attempts.summary()})`;
  if (isNetworkError(error)) {
    const failure = describeFailure(error);
    const what =
      failure.cause === S3RetryCause.Timeout
        ? `${endpoint} did not answer in time`
        : `Network error (${failure.label}) talking to ${endpoint}`;
    return make(S3SegmentsErrorCode.Network, `${capitalize(what)} while ${context.action} ${where}${met}`);
  }
  const from = attempts?.endpoint === undefined ? '' : ` from ${attempts.endpoint}`;
  return make(
    S3SegmentsErrorCode.S3Error,
    `S3 answered ${name}${status === undefined ? '' : ` (HTTP ${status})`}${from} while ${context.action} ${where}${met}`,
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
